import type { StreamedResult } from '@nop/protocol';
import { headlineOf } from './headline.ts';

/** Charts show the last 15 minutes; history fills it on load, live results extend it. */
export const WINDOW_MS = 15 * 60_000;
/** Upper bound per check so a 1s-interval check can't grow memory without limit. */
export const MAX_LIVE_POINTS = 3_000;

/** One live result reduced to what a card draws. */
export interface LivePoint {
  t: number; // epoch ms
  v: number | null; // the check's headline value (latency ms, or bytes/s); null when the run gave none
  ok: boolean;
}

/** One /metrics bucket, parsed. */
export interface HistoryPoint {
  t: number; // epoch ms, bucket start
  avg: number | null;
  count: number;
  failures: number;
}

export interface CheckLive {
  points: LivePoint[];
  last?: StreamedResult;
}

/** Key of a check across agents: check ids are unique only inside one agent. */
export const checkKey = (agentId: string, checkId: string): string => `${agentId}/${checkId}`;

/** Adds results to a check's live buffer: kept in time order, trimmed to the window and the cap. */
export function appendResults(prev: CheckLive | undefined, results: StreamedResult[], nowMs: number): CheckLive {
  let points = prev?.points ?? [];
  let last = prev?.last;
  const fresh: LivePoint[] = [];
  for (const r of results) {
    fresh.push({ t: Date.parse(r.time), v: headlineOf(r.type).pick(r), ok: r.success });
    if (!last || Date.parse(r.time) >= Date.parse(last.time)) last = r;
  }
  // Batches from an agent that was offline arrive late and together; sort once, not per point.
  points = points.concat(fresh).sort((a, b) => a.t - b.t);
  const cutoff = nowMs - WINDOW_MS;
  let start = 0;
  while (start < points.length && points[start]!.t < cutoff) start++;
  start = Math.max(start, points.length - MAX_LIVE_POINTS);
  return { points: start > 0 ? points.slice(start) : points, last };
}

/** Chart columns in uPlot's shape: x in epoch seconds, latency, and failure markers (y=0). */
export interface ChartColumns {
  xs: number[];
  latency: (number | null)[];
  failures: (number | null)[];
}

/**
 * History up to the first live point, then live points. History buckets are averages and live
 * points single runs, so they must not overlap or the line would zigzag between the two.
 */
export function buildChartColumns(history: HistoryPoint[], live: LivePoint[], nowMs: number): ChartColumns {
  const cutoff = live.length ? live[0]!.t : Number.POSITIVE_INFINITY;
  const from = nowMs - WINDOW_MS;
  const cols: ChartColumns = { xs: [], latency: [], failures: [] };
  for (const h of history) {
    if (h.t < from || h.t >= cutoff) continue;
    cols.xs.push(h.t / 1000);
    cols.latency.push(h.avg);
    cols.failures.push(h.failures > 0 ? 0 : null);
  }
  for (const p of live) {
    if (p.t < from) continue;
    cols.xs.push(p.t / 1000);
    cols.latency.push(p.ok ? p.v : null);
    cols.failures.push(p.ok ? null : 0);
  }
  return cols;
}

/** Successful runs over all runs in the window, counting history buckets not covered by live points. */
export function successCounts(
  history: HistoryPoint[],
  live: LivePoint[],
  nowMs: number,
): { ok: number; total: number } {
  const cutoff = live.length ? live[0]!.t : Number.POSITIVE_INFINITY;
  const from = nowMs - WINDOW_MS;
  let ok = 0;
  let total = 0;
  for (const h of history) {
    if (h.t < from || h.t >= cutoff) continue;
    total += h.count;
    ok += h.count - h.failures;
  }
  for (const p of live) {
    if (p.t < from) continue;
    total += 1;
    if (p.ok) ok += 1;
  }
  return { ok, total };
}

/** The newest latency to headline on a card: the last live run, else the last history bucket. */
export function latestLatency(history: HistoryPoint[], live: LivePoint[]): number | null {
  const lastLive = live[live.length - 1];
  if (lastLive) return lastLive.ok ? lastLive.v : null;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (h.count > 0) return h.avg;
  }
  return null;
}
