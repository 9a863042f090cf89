import type { StreamedResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { bucketResults, mergeLive, parseSeries, percentile, pickMetric, type Bucket } from './historyBuckets.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

const result = (agentId: string, ms: number, durationMs: number | null, extra: Partial<StreamedResult> = {}) =>
  ({
    id: `${agentId}-${ms}`,
    checkId: 'icmp-x',
    type: 'icmp',
    target: 'x',
    time: new Date(ms).toISOString(),
    success: durationMs !== null,
    durationMs,
    metrics: {},
    agentId,
    agentName: agentId === A ? 'alpha' : 'beta',
    ...extra,
  }) as StreamedResult;

const bucket = (t: number, over: Partial<Bucket> = {}): Bucket => ({
  t,
  avg: 10,
  min: 5,
  max: 15,
  p10: 6,
  p25: 8,
  p50: 10,
  p75: 12,
  p90: 14,
  p95: 14.5,
  p99: 15,
  count: 2,
  failures: 0,
  loss: 0,
  jitter: 1,
  uptime: 1,
  ...over,
});

describe('percentile', () => {
  it('interpolates like percentile_cont', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10], 0.9)).toBe(10);
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([0, 10], 0.1)).toBeCloseTo(1);
  });
});

describe('bucketResults', () => {
  it('makes epoch-aligned buckets per agent with the server figures', () => {
    const results = [
      result(A, 10_000, 1, { metrics: { loss_ratio: 0, jitter_ms: 0.2 } }),
      result(A, 12_000, 3, { metrics: { loss_ratio: 0.5, jitter_ms: 0.4 } }),
      result(A, 16_000, null, { metrics: { loss_ratio: 1 } }),
      result(B, 11_000, 7),
    ];
    const out = bucketResults(results, 5000, pickMetric('latency_ms'));
    const a = out.get(A)!;
    expect(a.map((b) => b.t)).toEqual([10_000, 15_000]);
    expect(a[0]).toMatchObject({ avg: 2, min: 1, max: 3, p50: 2, count: 2, failures: 0, uptime: 1, loss: 0.25 });
    expect(a[0]!.jitter).toBeCloseTo(0.3);
    expect(a[1]).toMatchObject({ avg: null, p50: null, count: 1, failures: 1, uptime: 0, loss: 1, jitter: null });
    expect(out.get(B)![0]).toMatchObject({ t: 10_000, avg: 7 });
  });

  it('charts a metric of the results when asked', () => {
    const out = bucketResults([result(A, 0, 1, { metrics: { ttfb_ms: 42 } })], 1000, pickMetric('ttfb_ms'));
    expect(out.get(A)![0]!.avg).toBe(42);
  });
});

describe('mergeLive', () => {
  const fetched = [{ agentId: A, agentName: 'alpha', points: [bucket(0), bucket(5000)] }];

  it('folds the live results of the last fetched step into it and appends later ones', () => {
    const live = [result(A, 4000, 99), result(A, 6000, 20), result(A, 11_000, 30)];
    const merged = mergeLive(fetched, live, { stepMs: 5000, sinceMs: 5500, pick: pickMetric('latency_ms') });
    const points = merged[0]!.points;
    expect(points.map((p) => p.t)).toEqual([0, 5000, 10_000]);
    expect(points[1]).toMatchObject({ count: 3, max: 20, p50: 10 });
    expect(points[1]!.avg).toBeCloseTo((10 * 2 + 20) / 3);
    expect(points[2]).toMatchObject({ avg: 30, count: 1 });
    // the result before the fetch's end was already counted by the server
    expect(points.some((p) => p.max === 99)).toBe(false);
  });

  it('adds an agent that had no history yet, and leaves the input alone', () => {
    const merged = mergeLive(fetched, [result(B, 7000, 3)], {
      stepMs: 5000,
      sinceMs: 5500,
      pick: pickMetric('latency_ms'),
    });
    expect(merged.map((s) => s.agentName)).toEqual(['alpha', 'beta']);
    expect(fetched[0]!.points).toHaveLength(2);
    expect(mergeLive(fetched, [], { stepMs: 5000, sinceMs: 0, pick: pickMetric('latency_ms') })).toBe(fetched);
  });
});

describe('parseSeries', () => {
  it('parses times, sorts points and orders agents by name', () => {
    const point = { ...bucket(0), t: '1970-01-01T00:00:05.000Z' };
    const series = parseSeries({
      series: [
        { agentId: B, agentName: 'beta', checkId: 'c', points: [point, { ...point, t: '1970-01-01T00:00:00.000Z' }] },
        { agentId: A, agentName: 'alpha', checkId: 'c', points: [] },
      ],
    });
    expect(series.map((s) => s.agentName)).toEqual(['alpha', 'beta']);
    expect(series[1]!.points.map((p) => p.t)).toEqual([0, 5000]);
  });
});
