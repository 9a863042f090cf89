import { describe, expect, it } from 'vitest';
import type { Bucket } from './historyBuckets.ts';
import { LOSS_BUCKETS, lossBucket, smokeColumns } from './smokeChart.ts';

const point = (t: number, p50: number | null, loss: number | null) =>
  ({ t, p10: 1, p25: 2, p50, p75: 4, p90: 5, loss }) as Bucket;

describe('lossBucket', () => {
  it('puts ratios in SmokePing-like buckets', () => {
    expect([0, null, 0.01, 0.05, 0.1, 0.2, 0.21, 1].map(lossBucket)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(LOSS_BUCKETS[lossBucket(0.5)]!.tone).toBe('bad');
  });
});

describe('smokeColumns', () => {
  it('keeps the bands and splits the median by loss into pieces that join', () => {
    const cols = smokeColumns([point(0, 10, 0), point(5000, 11, 0), point(10_000, 12, 0.1), point(15_000, 13, 0)]);
    expect(cols.xs).toEqual([0, 5, 10, 15]);
    expect(cols.p10).toEqual([1, 1, 1, 1]);
    expect(cols.p90).toEqual([5, 5, 5, 5]);
    // 0 % loss: points 0,1 and 3; the ≤20 % piece starts at point 1 so the line is unbroken
    expect(cols.median[0]).toEqual([10, 11, 12, 13]);
    expect(cols.median[2]).toEqual([null, 11, 12, null]);
    expect(cols.median[1]).toEqual([null, null, null, null]);
    expect(cols.lossPct).toEqual([0, 0, 10, 0]);
  });

  it('leaves buckets without a median empty, so the line breaks there', () => {
    const cols = smokeColumns([point(0, 10, 0), point(5000, null, 1), point(10_000, 12, 0)]);
    expect(cols.median[0]).toEqual([10, null, 12]);
    expect(cols.median[3]).toEqual([null, null, null]);
  });
});
