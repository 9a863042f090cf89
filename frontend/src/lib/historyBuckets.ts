import type { HistoryMetricPoint, HistoryMetricsResponse, StreamedResult } from '@nop/protocol';

/** A bucket of /api/v1/metrics with its start parsed to epoch ms. */
export type Bucket = Omit<HistoryMetricPoint, 't'> & { t: number };

/** One agent's buckets, oldest first: every chart of the check page draws one of these per agent. */
export interface AgentSeries {
  agentId: string;
  agentName: string;
  points: Bucket[];
}

/** The response as one series per agent (a check's id is the same on every agent). */
export function parseSeries(res: Pick<HistoryMetricsResponse, 'series'>): AgentSeries[] {
  return res.series
    .map((s) => ({
      agentId: s.agentId,
      agentName: s.agentName,
      points: s.points
        .map((p) => ({ ...p, t: Date.parse(p.t) }))
        .filter((p) => Number.isFinite(p.t))
        .sort((a, b) => a.t - b.t),
    }))
    .sort((a, b) => a.agentName.localeCompare(b.agentName) || a.agentId.localeCompare(b.agentId));
}

/** PostgreSQL's percentile_cont: linear between the two nearest ranks of sorted values. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;

/** What a series charts of one result: its duration (latency_ms) or one of its metrics. */
export function pickMetric(metric: string): (r: Pick<StreamedResult, 'durationMs' | 'metrics'>) => number | null {
  return metric === 'latency_ms' ? (r) => r.durationMs : (r) => r.metrics[metric] ?? null;
}

/**
 * Live results in the buckets the server would have made of them (epoch-aligned steps, the same
 * figures), so the newest part of a chart can grow between two fetches.
 */
export function bucketResults(
  results: readonly StreamedResult[],
  stepMs: number,
  pick: (r: StreamedResult) => number | null,
): Map<string, Bucket[]> {
  const groups = new Map<string, Map<number, StreamedResult[]>>();
  for (const r of results) {
    const t = Math.floor(Date.parse(r.time) / stepMs) * stepMs;
    if (!Number.isFinite(t)) continue;
    let byT = groups.get(r.agentId);
    if (!byT) groups.set(r.agentId, (byT = new Map()));
    const list = byT.get(t);
    if (list) list.push(r);
    else byT.set(t, [r]);
  }
  const out = new Map<string, Bucket[]>();
  for (const [agentId, byT] of groups) {
    const buckets: Bucket[] = [];
    for (const [t, list] of byT) {
      const values = list
        .map(pick)
        .filter((v): v is number => v !== null && Number.isFinite(v))
        .sort((a, b) => a - b);
      const failures = list.filter((r) => !r.success).length;
      const losses = list.map((r) => r.metrics.loss_ratio).filter((v): v is number => v !== undefined);
      const jitters = list.map((r) => r.metrics.jitter_ms).filter((v): v is number => v !== undefined);
      buckets.push({
        t,
        avg: mean(values),
        min: values[0] ?? null,
        max: values.at(-1) ?? null,
        p10: percentile(values, 0.1),
        p25: percentile(values, 0.25),
        p50: percentile(values, 0.5),
        p75: percentile(values, 0.75),
        p90: percentile(values, 0.9),
        p95: percentile(values, 0.95),
        p99: percentile(values, 0.99),
        count: list.length,
        failures,
        loss: mean(losses),
        jitter: mean(jitters),
        uptime: (list.length - failures) / list.length,
      });
    }
    out.set(
      agentId,
      buckets.sort((a, b) => a.t - b.t),
    );
  }
  return out;
}

const weighted = (a: number | null, an: number, b: number | null, bn: number) =>
  a === null ? b : b === null ? a : (a * an + b * bn) / (an + bn);
const pickNum = (a: number | null, b: number | null, f: (x: number, y: number) => number) =>
  a === null ? b : b === null ? a : f(a, b);

/**
 * Two buckets of the same step as one: counts add, extremes and means combine exactly; the
 * percentiles of the fetched bucket stay (its values are not at hand) unless it had none.
 */
export function combineBuckets(a: Bucket, b: Bucket): Bucket {
  const count = a.count + b.count;
  const failures = a.failures + b.failures;
  const keep = (key: 'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p95' | 'p99') => a[key] ?? b[key];
  return {
    t: a.t,
    avg: weighted(a.avg, a.count, b.avg, b.count),
    min: pickNum(a.min, b.min, Math.min),
    max: pickNum(a.max, b.max, Math.max),
    p10: keep('p10'),
    p25: keep('p25'),
    p50: keep('p50'),
    p75: keep('p75'),
    p90: keep('p90'),
    p95: keep('p95'),
    p99: keep('p99'),
    count,
    failures,
    loss: weighted(a.loss, a.count, b.loss, b.count),
    jitter: weighted(a.jitter, a.count, b.jitter, b.count),
    uptime: count === 0 ? 1 : (count - failures) / count,
  };
}

/**
 * Fetched series plus the live results that arrived after the fetch (`sinceMs`, the fetch's end):
 * a live bucket of the same step as the last fetched one is folded into it, later ones appended,
 * and an agent that had no history yet gets a series of its own.
 */
export function mergeLive(
  series: readonly AgentSeries[],
  live: readonly StreamedResult[],
  opts: { stepMs: number; sinceMs: number; pick: (r: StreamedResult) => number | null },
): AgentSeries[] {
  const fresh = live.filter((r) => Date.parse(r.time) >= opts.sinceMs);
  if (fresh.length === 0) return series as AgentSeries[];
  const buckets = bucketResults(fresh, opts.stepMs, opts.pick);
  const names = new Map(fresh.map((r) => [r.agentId, r.agentName]));
  const out: AgentSeries[] = series.map((s) => {
    const extra = buckets.get(s.agentId);
    if (!extra) return s;
    const points = s.points.slice();
    for (const b of extra) {
      const last = points.at(-1);
      if (last && last.t === b.t) points[points.length - 1] = combineBuckets(last, b);
      else if (!last || b.t > last.t) points.push(b);
    }
    return { ...s, points };
  });
  for (const [agentId, points] of buckets)
    if (!series.some((s) => s.agentId === agentId)) out.push({ agentId, agentName: names.get(agentId)!, points });
  return out;
}
