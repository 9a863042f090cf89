import type { Bucket } from './historyBuckets.ts';

/**
 * SmokePing's picture of latency: the median as a line, the spread of the runs as shaded "smoke"
 * (p10–p90 light, p25–p75 darker), and the median's colour saying how many echoes were lost.
 */
export type LossTone = 'ok' | 'accent' | 'warn' | 'bad';

/** Loss buckets, upper bound inclusive; the last catches everything up to 100 %. */
export const LOSS_BUCKETS: ReadonlyArray<{ max: number; label: string; tone: LossTone }> = [
  { max: 0, label: '0 % loss', tone: 'ok' },
  { max: 0.05, label: '≤ 5 %', tone: 'accent' },
  { max: 0.2, label: '≤ 20 %', tone: 'warn' },
  { max: 1, label: '> 20 %', tone: 'bad' },
];

/** The loss bucket of a ratio 0..1 (no figure counts as none lost). */
export function lossBucket(loss: number | null): number {
  const ratio = loss ?? 0;
  const index = LOSS_BUCKETS.findIndex((b) => ratio <= b.max + 1e-9);
  return index === -1 ? LOSS_BUCKETS.length - 1 : index;
}

export interface SmokeColumns {
  /** epoch seconds */
  xs: number[];
  p10: (number | null)[];
  p25: (number | null)[];
  p75: (number | null)[];
  p90: (number | null)[];
  /**
   * The median once per loss bucket, null where another bucket holds the point. Each column also
   * keeps the point before its run, so the coloured pieces join into one unbroken line.
   */
  median: (number | null)[][];
  /** loss in percent per bucket, for the tooltip */
  lossPct: (number | null)[];
}

export function smokeColumns(points: readonly Bucket[]): SmokeColumns {
  const n = points.length;
  const median = LOSS_BUCKETS.map(() => new Array<number | null>(n).fill(null));
  const buckets = points.map((p) => lossBucket(p.loss));
  points.forEach((p, i) => {
    if (p.p50 === null) return;
    const b = buckets[i]!;
    median[b]![i] = p.p50;
    const prev = points[i - 1];
    if (prev && prev.p50 !== null && buckets[i - 1] !== b) median[b]![i - 1] = prev.p50;
  });
  return {
    xs: points.map((p) => p.t / 1000),
    p10: points.map((p) => p.p10),
    p25: points.map((p) => p.p25),
    p75: points.map((p) => p.p75),
    p90: points.map((p) => p.p90),
    median,
    lossPct: points.map((p) => (p.loss === null ? null : p.loss * 100)),
  };
}
