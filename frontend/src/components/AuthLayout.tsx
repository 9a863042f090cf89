import type { ReactNode } from 'react';
import { useDocumentTitle } from '../lib/documentTitle.ts';
import { Link } from './Link.tsx';
import { Logo } from './Logo.tsx';
import { PreferencesMenu } from './PreferencesMenu.tsx';

/** Centered card for the login and signup pages. */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
  footer: ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <main className="relative grid min-h-screen place-items-center bg-[radial-gradient(ellipse_at_top,color-mix(in_srgb,var(--color-accent)_8%,var(--color-bg))_0%,var(--color-bg)_55%)] px-4 py-10">
      <div className="absolute top-3 right-3">
        <PreferencesMenu />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-8 flex justify-center">
          <Logo compact />
        </div>
        <div className="rounded-xl border border-line bg-panel/90 p-6 shadow-xl shadow-black/10">
          <h1 className="text-lg font-semibold">{title}</h1>
          <p className="mt-1 text-sm text-muted">{subtitle}</p>
          <div className="mt-6">{children}</div>
        </div>
        <p className="mt-5 text-center text-sm text-muted">{footer}</p>
      </div>
    </main>
  );
}

/** The footer of the pages that make an account (sign-up, invitation) for someone who has one. */
export function SignInInstead() {
  return (
    <>
      Already have an account?{' '}
      <Link href="/login" className="font-medium text-accent hover:underline">
        Sign in
      </Link>
    </>
  );
}
