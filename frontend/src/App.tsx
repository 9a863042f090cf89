import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { EmptyState } from './components/EmptyState.tsx';
import { Link } from './components/Link.tsx';
import { PageHeading } from './components/PageHeading.tsx';
import { SignedInLayout } from './components/SignedInLayout.tsx';
import { Loading } from './components/ui/Loading.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { Invite } from './pages/Invite.tsx';
import { Login } from './pages/Login.tsx';
import { Signup } from './pages/Signup.tsx';
import { navigate, usePathname } from './lib/router.ts';
import { resolveRoute, type RouteName } from './lib/routes.ts';
import { useAuth } from './store/auth.ts';

// Loaded when first opened: most visits are to the overview, and viewers never see the admin pages.
const Users = lazy(() => import('./pages/Users.tsx').then((m) => ({ default: m.Users })));
const Audit = lazy(() => import('./pages/Audit.tsx').then((m) => ({ default: m.Audit })));
const Profile = lazy(() => import('./pages/Profile.tsx').then((m) => ({ default: m.Profile })));

const SIGNED_IN_PAGES: Partial<Record<RouteName, { title: string; page: () => ReactNode }>> = {
  overview: { title: 'Overview', page: () => <Dashboard /> },
  users: { title: 'Users', page: () => <Users /> },
  audit: { title: 'Audit log', page: () => <Audit /> },
  profile: { title: 'Profile', page: () => <Profile /> },
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
  if (resolved.page === 'login') return <Login />;
  if (resolved.page === 'signup') return <Signup />;
  if (resolved.page === 'invite') return <Invite />;

  const signedIn = SIGNED_IN_PAGES[resolved.page]!;
  return (
    <SignedInLayout>
      <Suspense fallback={<Loading className="py-16">Loading…</Loading>}>
        {resolved.forbidden ? <AdminsOnly title={signedIn.title} /> : signedIn.page()}
      </Suspense>
    </SignedInLayout>
  );
}

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
