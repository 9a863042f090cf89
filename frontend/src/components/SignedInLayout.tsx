import type { ReactNode } from 'react';
import { useMe } from '../hooks/useMe.ts';
import { useStream } from '../hooks/useStream.ts';
import { useAuth } from '../store/auth.ts';
import { Header } from './Header.tsx';

/**
 * Around every signed-in page: the header, and the live stream, kept open across page changes so
 * a revoked session signs out (with a notice) on the Users page as on the overview.
 */
export function SignedInLayout({ children }: { children: ReactNode }) {
  const token = useAuth((s) => s.token);
  useStream(token);
  useMe();

  return (
    <div className="min-h-screen">
      <Header />
      <main className="mx-auto max-w-[1600px] space-y-6 px-4 py-5 sm:px-6">{children}</main>
    </div>
  );
}
