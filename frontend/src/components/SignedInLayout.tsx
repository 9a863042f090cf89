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
      {/* the first Tab stop: keyboard users skip the header's links on every page */}
      <a
        href="#main"
        onClick={(e) => {
          e.preventDefault(); // no "#main" in the address bar; just move focus
          document.getElementById('main')?.focus();
        }}
        className="sr-only z-30 rounded-md bg-accent px-3 py-2 text-sm font-semibold text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1600px] space-y-6 px-4 py-5 focus:outline-none sm:px-6">
        {children}
      </main>
    </div>
  );
}
