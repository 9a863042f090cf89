import { describe, expect, it } from 'vitest';
import { alignSeries, stackColumns } from './chartColumns.ts';

describe('alignSeries', () => {
  it('shares one time column and leaves holes where an agent has no bucket', () => {
    const aligned = alignSeries(
      [
        {
          points: [
            { t: 0, v: 1 },
            { t: 2000, v: 3 },
          ],
        },
        {
          points: [
            { t: 1000, v: 20 },
            { t: 2000, v: 30 },
          ],
        },
      ],
      (p) => p.v,
    );
    expect(aligned.xs).toEqual([0, 1, 2]);
    expect(aligned.columns).toEqual([
      [1, null, 3],
      [null, 20, 30],
    ]);
  });

  it('copes with no series', () => {
    expect(alignSeries([], () => 0)).toEqual({ xs: [], columns: [] });
  });
});

describe('stackColumns', () => {
  it('sums parts, missing parts as zero, missing rows as holes', () => {
    expect(
      stackColumns([
        [1, null, 2],
        [2, null, null],
        [3, null, 1],
      ]),
    ).toEqual([
      [1, null, 2],
      [3, null, 2],
      [6, null, 3],
    ]);
  });
});
