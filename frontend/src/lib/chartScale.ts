/** Rounds the y ceiling up to a 1/2/2.5/5 step with headroom, so the axis reads 0, 20, 40 rather than 0, 17.3, 34.6. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 10;
  const target = max * 1.15;
  const pow = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * pow >= target) ?? 10;
  return +(step * pow).toPrecision(6);
}

/**
 * Axis tick labels carry their unit, so a chart reads on its own: "0.5 ms", "20 ms", and seconds
 * from 1000 ms up ("1.5 s"), without trailing zeros.
 */
export function axisMs(value: number): string {
  if (value >= 1000) return `${+(value / 1000).toFixed(2)} s`;
  return `${+value.toFixed(3)} ms`;
}

/** A 0–100 share as a tick label: "0%", "2.5%", "100%". */
export function axisPercent(value: number): string {
  return `${+value.toFixed(1)}%`;
}
