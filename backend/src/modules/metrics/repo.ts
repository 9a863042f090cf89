import type { Queryable } from '../../db/db.ts';
import type { MetricsQuery } from './query.ts';

interface Row {
  agent_id: string;
  check_id: string;
  bucket: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  p95: number | null;
  count: number;
  failures: number;
}

/**
 * Aggregates results into fixed steps aligned to the epoch (so charts of different ranges agree):
 * avg, min, max, p95 per step. A failed run without a value counts in `count`/`failures` only.
 */
export async function aggregateSeries(db: Queryable, q: MetricsQuery) {
  const stepSeconds = q.stepMs / 1000;
  const { rows } = await db.query<Row>(
    `SELECT agent_id, check_id,
            floor(extract(epoch FROM time) / $1)::float8 * $1 AS bucket,
            avg(v)::float8 AS avg, min(v)::float8 AS min, max(v)::float8 AS max,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY v)::float8 AS p95,
            count(*)::int AS count, (count(*) FILTER (WHERE NOT success))::int AS failures
     FROM (
       SELECT agent_id, check_id, time, success,
              CASE WHEN $2 = 'latency_ms' THEN duration_ms
                   WHEN jsonb_typeof(metrics -> $2) = 'number' THEN (metrics ->> $2)::float8 END AS v
       FROM check_results
       WHERE time >= to_timestamp($3) AND time < to_timestamp($4)
         AND ($5::uuid IS NULL OR agent_id = $5::uuid)
         AND ($6::text IS NULL OR check_id = $6::text)
     ) s
     GROUP BY agent_id, check_id, bucket
     ORDER BY agent_id, check_id, bucket`,
    [stepSeconds, q.metric, q.from / 1000, q.to / 1000, q.agentId ?? null, q.checkId ?? null],
  );

  const series = new Map<string, { agentId: string; checkId: string; points: unknown[] }>();
  for (const row of rows) {
    const key = `${row.agent_id}/${row.check_id}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { agentId: row.agent_id, checkId: row.check_id, points: [] }));
    entry.points.push({
      t: new Date(row.bucket * 1000).toISOString(),
      avg: row.avg,
      min: row.min,
      max: row.max,
      p95: row.p95,
      count: row.count,
      failures: row.failures,
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
