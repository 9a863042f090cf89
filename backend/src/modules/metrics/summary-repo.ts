import { LATEST_MAX_PAIRS, type MetricsSummaryResponse } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import type { SummaryQuery } from './query.ts';

interface Row {
  agent_id: string;
  agent_name: string;
  check_id: string;
  count: number;
  failures: number;
  /** p50, p95, p99 of duration_ms */
  pct: (number | null)[] | null;
  min: number | null;
  max: number | null;
  avg: number | null;
  loss: number | null;
  jitter: number | null;
  first_time: Date | string;
  last_time: Date | string;
}

/**
 * Per (agent, check) over from..to: runs, failures, uptime, latency (duration_ms) percentiles and
 * extremes, the loss and jitter the runs reported, and the first and last run. At most
 * LATEST_MAX_PAIRS pairs (as many as the overview shows), by agent name then check id.
 */
export async function summarize(db: Queryable, q: SummaryQuery): Promise<MetricsSummaryResponse> {
  const { rows } = await db.query<Row>(
    `SELECT s.*, a.name AS agent_name
     FROM (
       SELECT agent_id, check_id, count(*)::int AS count, (count(*) FILTER (WHERE NOT success))::int AS failures,
              percentile_cont(ARRAY[0.5, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY duration_ms) AS pct,
              min(duration_ms)::float8 AS min, max(duration_ms)::float8 AS max, avg(duration_ms)::float8 AS avg,
              avg(CASE WHEN jsonb_typeof(metrics -> 'loss_ratio') = 'number'
                       THEN (metrics ->> 'loss_ratio')::float8 END)::float8 AS loss,
              avg(CASE WHEN jsonb_typeof(metrics -> 'jitter_ms') = 'number'
                       THEN (metrics ->> 'jitter_ms')::float8 END)::float8 AS jitter,
              min(time) AS first_time, max(time) AS last_time
       FROM check_results
       WHERE time >= $1::timestamptz AND time < $2::timestamptz
         AND ($3::uuid IS NULL OR agent_id = $3::uuid)
         AND ($4::text IS NULL OR check_id = $4::text)
       GROUP BY agent_id, check_id
     ) s JOIN agents a ON a.id = s.agent_id
     ORDER BY a.name, s.check_id
     LIMIT $5`,
    [
      new Date(q.from).toISOString(),
      new Date(q.to).toISOString(),
      q.agentId ?? null,
      q.checkId ?? null,
      LATEST_MAX_PAIRS + 1,
    ],
  );
  return {
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    items: rows.slice(0, LATEST_MAX_PAIRS).map((row) => {
      const [p50, p95, p99] = (row.pct ?? []).map((x) => x ?? null);
      return {
        agentId: row.agent_id,
        agentName: row.agent_name,
        checkId: row.check_id,
        count: row.count,
        failures: row.failures,
        uptimePct: (100 * (row.count - row.failures)) / row.count,
        latency: { p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null, min: row.min, max: row.max, avg: row.avg },
        loss: row.loss,
        jitter: row.jitter,
        firstTime: new Date(row.first_time).toISOString(),
        lastTime: new Date(row.last_time).toISOString(),
      };
    }),
    truncated: rows.length > LATEST_MAX_PAIRS,
  };
}
