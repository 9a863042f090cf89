/**
 * Decides whether a refused credential means "sign out". Three cases must not sign out:
 * - a request or socket that used an older token than the one now stored (its answer is stale);
 * - a refusal that arrives while this tab is itself replacing its credential (a password change
 *   ends every session, this one's socket included, a moment before the new token comes back; a
 *   log-out ends this session before the page gets to say goodbye). Such a refusal waits for the
 *   switch to finish and then counts only if the token it was about is still the stored one.
 */
export interface CredentialGuard {
  /** the server refused `token` (a 401, or the stream closed 1008); `notice` says why */
  reject(token: string | null, notice: string): void;
  /** runs a credential switch (password change, log-out) with refusals held back until it ends */
  during<T>(switchCredential: () => Promise<T>): Promise<T>;
}

export function createCredentialGuard(deps: {
  currentToken: () => string | null;
  signOut: (notice: string) => void;
}): CredentialGuard {
  let inFlight = 0;
  let held: { token: string; notice: string } | null = null;

  const reject = (token: string | null, notice: string) => {
    if (!token || deps.currentToken() !== token) return;
    if (inFlight > 0) {
      held = { token, notice };
      return;
    }
    deps.signOut(notice);
  };

  return {
    reject,
    async during(switchCredential) {
      inFlight += 1;
      try {
        return await switchCredential();
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && held) {
          const { token, notice } = held;
          held = null;
          reject(token, notice);
        }
      }
    },
  };
}
