/** Below this an agent's clock is as right as the network lets us tell. */
export const CLOCK_SKEW_NOTABLE_MS = 2_000;

/** "clock 3.2 s ahead" / "clock 1 min 5 s behind", or null while the skew is small or unknown. */
export function clockSkewText(skewMs: number | null | undefined): string | null {
  if (skewMs === null || skewMs === undefined || Math.abs(skewMs) <= CLOCK_SKEW_NOTABLE_MS) return null;
  const seconds = Math.abs(skewMs) / 1000;
  const amount =
    seconds < 60
      ? `${seconds.toFixed(1)} s`
      : `${Math.floor(seconds / 60)} min${Math.round(seconds % 60) ? ` ${Math.round(seconds % 60)} s` : ''}`;
  return `clock ${amount} ${skewMs > 0 ? 'ahead' : 'behind'}`;
}
