/**
 * Reconnect delay: exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed,
 * half random) so many browsers dropped by one backend restart don't all come back in the same tick.
 */
export function backoffDelay(
  attempt: number,
  baseMs = 500,
  maxMs = 15_000,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exp / 2 + (exp / 2) * random());
}
