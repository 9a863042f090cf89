import { useEffect } from 'react';
import { Dashboard } from './pages/Dashboard.tsx';
import { Login } from './pages/Login.tsx';
import { Signup } from './pages/Signup.tsx';
import { navigate, usePathname } from './lib/router.ts';
import { useAuth } from './store/auth.ts';

const PUBLIC = new Set(['/login', '/signup']);

/** Routes: /login and /signup when signed out, / (the dashboard) when signed in; anything else redirects. */
export function App() {
  const path = usePathname();
  const signedIn = useAuth((s) => Boolean(s.token));
  const target = signedIn ? (path === '/' ? null : '/') : PUBLIC.has(path) ? null : '/login';

  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);

  if (target) return null;
  if (path === '/signup') return <Signup />;
  if (path === '/login') return <Login />;
  return <Dashboard />;
}
