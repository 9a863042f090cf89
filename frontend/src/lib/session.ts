import { configureAuth } from '../api/client.ts';
import { useAuth } from '../store/auth.ts';
import { useLive } from '../store/live.ts';
import { queryClient } from './queryClient.ts';
import { navigate } from './router.ts';

/** Ends the session everywhere: token, cached server data, live buffers; then the login page. */
export function signOut(notice?: string): void {
  useAuth.getState().signOut(notice);
  queryClient.clear();
  useLive.getState().clear();
  navigate('/login', { replace: true });
}

/** Wires the fetch client to the auth store: it reads the token, and any 401 signs out. */
export function installAuth(): void {
  configureAuth({
    getToken: () => useAuth.getState().token,
    onUnauthorized: () => {
      if (useAuth.getState().token) signOut('Your session has expired. Sign in again.');
    },
  });
}
