/**
 * The fixed log-scale latency histogram of the rollups (see db/migrations/0008_result_rollups.up.sql):
 * bucket k holds durations d with floor(24 · log10(max(d, 0.01) / 0.01)) = k, clamped to 0..LAST,
 * 24 buckets a decade from 0.01 ms to 10 minutes. Neighbouring edges are 10^(1/24) ≈ 1.1007 apart,
 * so a percentile interpolated inside its bucket is off by under ~10 % (typically a few percent).
 */
export const HIST_BASE_MS = 0.01;
export const HIST_PER_DECADE = 24;
/** index of the last bucket: 10 minutes is 7.78 decades above 0.01 ms */
export const HIST_LAST = Math.ceil(HIST_PER_DECADE * Math.log10(600_000 / HIST_BASE_MS)) - 1;
export const HIST_SIZE = HIST_LAST + 1;

/** The SQL expression of a duration's bucket (NULL for NULL), the same as bucketOf. */
export const histBucketSql = (column: string) =>
  `least(${HIST_LAST}, greatest(0, floor(${HIST_PER_DECADE} * log(greatest(${column}, ${HIST_BASE_MS}) / ${HIST_BASE_MS}))))::int`;

const EDGES = Array.from({ length: HIST_SIZE + 1 }, (_, k) => HIST_BASE_MS * 10 ** (k / HIST_PER_DECADE));
/** The lower edge of bucket k. */
export const edgeOf = (k: number) => EDGES[k] ?? HIST_BASE_MS * 10 ** (k / HIST_PER_DECADE);

/**
 * The q-quantiles (0..1) of a histogram the way percentile_cont gives them on the values: the
 * values of ranks floor(q·(n-1)) and ceil(q·(n-1)) are each estimated inside their bucket (the
 * bucket's values taken as spread evenly on a log scale, its edges narrowed to the known min and
 * max), then interpolated linearly between. `hist` is dense over 0..HIST_LAST; `quantiles` ascending.
 */
export function quantilesOf(
  hist: ArrayLike<number>,
  n: number,
  min: number,
  max: number,
  quantiles: readonly number[],
): (number | null)[] {
  if (n === 0) return quantiles.map(() => null);
  // the ranks asked for, ascending (the quantiles are): one walk up the buckets serves them all
  const values: number[] = [];
  let k = 0;
  let before = 0; // values in buckets below k
  const valueAt = (j: number) => {
    while (k < HIST_LAST && before + (hist[k] ?? 0) <= j) before += hist[k++] ?? 0;
    const inBucket = hist[k] ?? 0;
    const lo = Math.max(min, k === 0 ? min : edgeOf(k));
    const hi = Math.min(max, k === HIST_LAST ? max : edgeOf(k + 1));
    if (inBucket === 0 || hi <= lo) return Math.min(max, Math.max(min, lo));
    const fraction = Math.min(1, Math.max(0, (j - before + 0.5) / inBucket));
    const value = lo > 0 ? lo * (hi / lo) ** fraction : lo + (hi - lo) * fraction;
    return Math.min(max, Math.max(min, value));
  };
  for (const q of quantiles) {
    const rank = q * (n - 1);
    const below = Math.floor(rank);
    const low = valueAt(below);
    values.push(rank === below ? low : low + (valueAt(below + 1) - low) * (rank - below));
  }
  return values;
}
