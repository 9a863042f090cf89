import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { EmptyState } from './components/EmptyState.tsx';
import { Link } from './components/Link.tsx';
import { PageHeading } from './components/PageHeading.tsx';
import { SignedInLayout } from './components/SignedInLayout.tsx';
import { Loading } from './components/ui/Loading.tsx';
import { navigate, usePathname } from './lib/router.ts';
import { resolveRoute, type RouteName } from './lib/routes.ts';
import { useAuth } from './store/auth.ts';

// Every page is loaded when first opened, so the first download is only the shell (React, the
// router, the header): the sign-in page needs no charts, and viewers never load the admin pages.
const Dashboard = lazy(() => import('./pages/Dashboard.tsx').then((m) => ({ default: m.Dashboard })));
const Login = lazy(() => import('./pages/Login.tsx').then((m) => ({ default: m.Login })));
const Signup = lazy(() => import('./pages/Signup.tsx').then((m) => ({ default: m.Signup })));
const Invite = lazy(() => import('./pages/Invite.tsx').then((m) => ({ default: m.Invite })));
const Users = lazy(() => import('./pages/Users.tsx').then((m) => ({ default: m.Users })));
const Audit = lazy(() => import('./pages/Audit.tsx').then((m) => ({ default: m.Audit })));
const Profile = lazy(() => import('./pages/Profile.tsx').then((m) => ({ default: m.Profile })));
const CheckPage = lazy(() => import('./pages/CheckPage.tsx').then((m) => ({ default: m.CheckPage })));
const CheckEditor = lazy(() => import('./pages/CheckEditor.tsx').then((m) => ({ default: m.CheckEditor })));

const SIGNED_IN_PAGES: Partial<Record<RouteName, { title: string; page: () => ReactNode }>> = {
  overview: { title: 'Overview', page: () => <Dashboard /> },
  users: { title: 'Users', page: () => <Users /> },
  audit: { title: 'Audit log', page: () => <Audit /> },
  profile: { title: 'Profile', page: () => <Profile /> },
  check: { title: 'Check', page: () => <CheckPage /> },
  'check-new': { title: 'New check', page: () => <CheckEditor /> },
  'check-edit': { title: 'Edit check', page: () => <CheckEditor /> },
};

/** Picks the page for the path and the signed-in user (lib/routes.ts says who may see what). */
export function App() {
  const path = usePathname();
  const user = useAuth((s) => (s.token ? s.user : null));
  const resolved = resolveRoute(path, user);
  const redirect = 'redirect' in resolved ? resolved.redirect : null;

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if ('redirect' in resolved) return null;
  if (resolved.page === 'login') return signedOut(<Login />);
  if (resolved.page === 'signup') return signedOut(<Signup />);
  if (resolved.page === 'invite') return signedOut(<Invite />);

  const signedIn = SIGNED_IN_PAGES[resolved.page]!;
  return (
    <SignedInLayout>
      <Suspense fallback={<Loading className="py-16">Loading…</Loading>}>
        {resolved.forbidden ? <AdminsOnly title={signedIn.title} /> : signedIn.page()}
      </Suspense>
    </SignedInLayout>
  );
}

/** A page without the header (sign-in, sign-up, invitation) while its code loads. */
const signedOut = (page: ReactNode) => (
  <Suspense fallback={<Loading className="min-h-screen">Loading…</Loading>}>{page}</Suspense>
);

function AdminsOnly({ title }: { title: string }) {
  return (
    <>
      <PageHeading title={title} />
      <EmptyState
        title="Only admins can see this page."
        action={
          <Link href="/" className="text-sm font-medium text-accent hover:underline">
            Back to the overview
          </Link>
        }
      >
        Your role does not include managing users or reading the audit log. Ask an admin if you need it.
      </EmptyState>
    </>
  );
}
