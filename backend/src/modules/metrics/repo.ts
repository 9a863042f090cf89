import type { HistoryMetricSeries, HistoryMetricsResponse } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import { recentRollupWatermark } from '../rollups/job.ts';
import type { MetricsQuery } from './query.ts';
import { rollupPlan, rollupSeries } from './rollup-series.ts';

interface Row {
  agent_id: string;
  agent_name: string;
  check_id: string;
  bucket: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  /** p10, p25, p50, p75, p90, p95, p99 (null entries when no run had a value) */
  pct: (number | null)[] | null;
  loss: number | null;
  jitter: number | null;
  count: number;
  failures: number;
}

/** The quantiles of every bucket, in the order of Row.pct; one sort serves them all. */
const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

/**
 * Aggregates results into fixed steps aligned to the epoch (so charts of different ranges agree):
 * avg, min, max and percentiles of the metric per step (p10..p90 are SmokePing-style bands), the
 * loss and jitter the runs reported, and uptime. A failed run without a value counts in
 * `count`/`failures`/`uptime` only. One series per (agent, check): by check alone, one per agent;
 * by agent alone, one per check.
 *
 * Latency with steps of a minute or more is read from the rollups (check_rollups_1m/1h) for the
 * part of the range the rollup job has folded in, and from raw rows for the rest (see
 * rollup-series.ts): same figures, percentiles from histograms (within ~10 %). Everything else,
 * and ranges wholly after the rollup watermark, read the raw rows exactly.
 */
export async function aggregateSeries(db: Queryable, q: MetricsQuery): Promise<HistoryMetricsResponse> {
  const plan =
    q.metric === 'latency_ms' && q.stepMs >= 60_000 ? rollupPlan(q, await recentRollupWatermark(db)) : undefined;
  if (plan) return rollupSeries(db, q, plan);
  return aggregateRaw(db, q);
}

/** aggregateSeries straight from the raw rows (exact percentile_cont). */
export async function aggregateRaw(db: Queryable, q: MetricsQuery): Promise<HistoryMetricsResponse> {
  const stepSeconds = q.stepMs / 1000;
  const { rows } = await db.query<Row>(
    `SELECT s.agent_id, a.name AS agent_name, s.check_id, s.bucket, s.avg, s.min, s.max, s.pct, s.loss, s.jitter,
            s.count, s.failures
     FROM (
       SELECT agent_id, check_id,
              floor(extract(epoch FROM time) / $1)::float8 * $1 AS bucket,
              avg(v)::float8 AS avg, min(v)::float8 AS min, max(v)::float8 AS max,
              percentile_cont($7::float8[]) WITHIN GROUP (ORDER BY v) AS pct,
              avg(loss)::float8 AS loss, avg(jitter)::float8 AS jitter,
              count(*)::int AS count, (count(*) FILTER (WHERE NOT success))::int AS failures
       FROM (
         SELECT agent_id, check_id, time, success,
                CASE WHEN $2 = 'latency_ms' THEN duration_ms
                     WHEN jsonb_typeof(metrics -> $2) = 'number' THEN (metrics ->> $2)::float8 END AS v,
                CASE WHEN jsonb_typeof(metrics -> 'loss_ratio') = 'number' THEN (metrics ->> 'loss_ratio')::float8 END AS loss,
                CASE WHEN jsonb_typeof(metrics -> 'jitter_ms') = 'number' THEN (metrics ->> 'jitter_ms')::float8 END AS jitter
         FROM check_results
         WHERE time >= to_timestamp($3) AND time < to_timestamp($4)
           AND ($5::uuid IS NULL OR agent_id = $5::uuid)
           AND ($6::text IS NULL OR check_id = $6::text)
       ) v
       GROUP BY agent_id, check_id, bucket
     ) s JOIN agents a ON a.id = s.agent_id
     ORDER BY s.agent_id, s.check_id, s.bucket`,
    [stepSeconds, q.metric, q.from / 1000, q.to / 1000, q.agentId ?? null, q.checkId ?? null, QUANTILES],
  );

  const series = new Map<string, HistoryMetricSeries>();
  for (const row of rows) {
    const key = `${row.agent_id}/${row.check_id}`;
    let entry = series.get(key);
    if (!entry)
      series.set(
        key,
        (entry = { agentId: row.agent_id, agentName: row.agent_name, checkId: row.check_id, points: [] }),
      );
    const [p10, p25, p50, p75, p90, p95, p99] = (row.pct ?? []).map((x) => x ?? null);
    entry.points.push({
      t: new Date(row.bucket * 1000).toISOString(),
      avg: row.avg,
      min: row.min,
      max: row.max,
      p95: p95 ?? null,
      count: row.count,
      failures: row.failures,
      p10: p10 ?? null,
      p25: p25 ?? null,
      p50: p50 ?? null,
      p75: p75 ?? null,
      p90: p90 ?? null,
      p99: p99 ?? null,
      loss: row.loss,
      jitter: row.jitter,
      uptime: (row.count - row.failures) / row.count,
    });
  }
  return {
    metric: q.metric,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    stepSeconds,
    series: [...series.values()],
  };
}
