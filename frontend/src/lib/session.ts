import { logout } from '../api/auth.ts';
import { configureAuth } from '../api/client.ts';
import { useAuth } from '../store/auth.ts';
import { useLive } from '../store/live.ts';
import { createCredentialGuard } from './credentialGuard.ts';
import { queryClient } from './queryClient.ts';
import { navigate } from './router.ts';
import { noticeForUnauthorized } from './signOutNotice.ts';

/** Ends the session in this tab: token, cached server data, live buffers; then the login page. */
export function signOut(notice?: string): void {
  useAuth.getState().signOut(notice);
  queryClient.clear();
  useLive.getState().clear();
  navigate('/login', { replace: true });
}

/** Refusals of the stored token sign out; refusals of a replaced one, or during a switch, wait (see credentialGuard). */
export const credentials = createCredentialGuard({
  currentToken: () => useAuth.getState().token,
  signOut,
});

/** How long "Log out" waits for the server before signing out here anyway. */
const LOGOUT_TIMEOUT_MS = 5000;

/**
 * The Log out button: ends the session on the server (its token stops working everywhere), then
 * here, even if the server could not be reached. The socket the server closes meanwhile is not
 * mistaken for a revocation that needs a notice.
 */
export async function logOut(): Promise<void> {
  await credentials.during(() => logout(AbortSignal.timeout(LOGOUT_TIMEOUT_MS)).catch(() => {}));
  signOut();
}

/** Wires the fetch client to the auth store: it reads the token, and a 401 for the current one signs out. */
export function installAuth(): void {
  configureAuth({
    getToken: () => useAuth.getState().token,
    onUnauthorized: (tokenUsed, error) => credentials.reject(tokenUsed, noticeForUnauthorized(error.detail)),
  });
}
