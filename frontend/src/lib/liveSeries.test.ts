import type { StreamedResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import {
  appendResults,
  buildChartColumns,
  latestLatency,
  MAX_LIVE_POINTS,
  successCounts,
  WINDOW_MS,
  type HistoryPoint,
} from './liveSeries.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function result(msAgo: number, durationMs: number | null, success = true, error?: string): StreamedResult {
  return {
    id: crypto.randomUUID(),
    checkId: 'icmp-1.1.1.1',
    type: 'icmp',
    target: '1.1.1.1',
    time: new Date(NOW - msAgo).toISOString(),
    success,
    durationMs,
    error,
    metrics: {},
    agentId: '00000000-0000-4000-8000-000000000001',
    agentName: 'edge-1',
  };
}

const bucket = (msAgo: number, avg: number | null, count = 1, failures = 0): HistoryPoint => ({
  t: NOW - msAgo,
  avg,
  count,
  failures,
});

describe('appendResults', () => {
  it('keeps points in time order even when a late batch arrives', () => {
    let live = appendResults(undefined, [result(5_000, 10)], NOW);
    live = appendResults(live, [result(30_000, 30), result(1_000, 11)], NOW);
    expect(live.points.map((p) => p.v)).toEqual([30, 10, 11]);
    expect(live.last?.durationMs).toBe(11);
  });

  it('keeps the newest result as `last`, not the last one received', () => {
    const live = appendResults(undefined, [result(1_000, 5), result(60_000, 99, false, 'timeout')], NOW);
    expect(live.last?.durationMs).toBe(5);
    expect(live.last?.success).toBe(true);
  });

  it('drops points older than the window', () => {
    const live = appendResults(undefined, [result(WINDOW_MS + 1_000, 1), result(WINDOW_MS - 1_000, 2)], NOW);
    expect(live.points.map((p) => p.v)).toEqual([2]);
  });

  it('caps the buffer at MAX_LIVE_POINTS, keeping the newest', () => {
    const many = Array.from({ length: MAX_LIVE_POINTS + 50 }, (_, i) => result(MAX_LIVE_POINTS + 50 - i, i));
    const live = appendResults(undefined, many, NOW);
    expect(live.points).toHaveLength(MAX_LIVE_POINTS);
    expect(live.points[live.points.length - 1]!.v).toBe(MAX_LIVE_POINTS + 49);
    expect(live.points[0]!.v).toBe(50);
  });
});

describe('buildChartColumns', () => {
  const history = [bucket(120_000, 20), bucket(60_000, null, 2, 2), bucket(10_000, 22)];

  it('shows history alone before any live point, with failures on the baseline', () => {
    const cols = buildChartColumns(history, [], NOW);
    expect(cols.xs).toEqual(history.map((h) => h.t / 1000));
    expect(cols.latency).toEqual([20, null, 22]);
    expect(cols.failures).toEqual([null, 0, null]);
  });

  it('hands over to live points without overlapping history buckets', () => {
    const live = appendResults(undefined, [result(30_000, 18), result(5_000, null, false, 'timeout')], NOW).points;
    const cols = buildChartColumns(history, live, NOW);
    // history up to the first live point (30 s ago), then the live ones
    expect(cols.latency).toEqual([20, null, 18, null]);
    expect(cols.failures).toEqual([null, 0, null, 0]);
    expect(cols.xs).toEqual([...cols.xs].sort((a, b) => a - b));
  });

  it('leaves out anything older than 15 minutes', () => {
    const cols = buildChartColumns([bucket(WINDOW_MS + 10_000, 5), bucket(1_000, 6)], [], NOW);
    expect(cols.latency).toEqual([6]);
  });
});

describe('successCounts', () => {
  it('adds history buckets before the live data and live runs after', () => {
    const history = [bucket(120_000, 20, 6, 0), bucket(60_000, 25, 6, 3), bucket(10_000, 22, 6, 0)];
    const live = appendResults(undefined, [result(30_000, 18), result(5_000, null, false)], NOW).points;
    // 6 + 3 ok from history (before 30 s ago), 1 ok of 2 live
    expect(successCounts(history, live, NOW)).toEqual({ ok: 10, total: 14 });
  });
});

describe('latestLatency', () => {
  it('prefers the last live run, and reports none when it failed', () => {
    const okLive = appendResults(undefined, [result(1_000, 12)], NOW).points;
    expect(latestLatency([bucket(5_000, 40)], okLive)).toBe(12);
    const failedLive = appendResults(undefined, [result(1_000, null, false)], NOW).points;
    expect(latestLatency([bucket(5_000, 40)], failedLive)).toBeNull();
  });

  it('falls back to the last history bucket that had runs', () => {
    expect(latestLatency([bucket(20_000, 40), bucket(10_000, null, 0)], [])).toBe(40);
  });
});
