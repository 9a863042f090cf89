import { LATEST_MAX_PAIRS, type AgentStatus, type CheckType, type LatestResultsResponse } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import type { LatestQuery } from './query.ts';
import { toStreamedResult, type ResultRow } from './rows.ts';

type Row = { [K in keyof ResultRow]: ResultRow[K] | null } & {
  pair_agent_id: string;
  pair_agent_name: string;
  agent_status: AgentStatus;
  pair_check_id: string;
  pair_type: string;
  pair_target: string;
};

/**
 * Every (agent, check) pair of the agents' compiled configs with its latest stored result. One
 * LATERAL probe per pair walks the (agent_id, check_id, time) index backwards and stops at the
 * first row, so the cost grows with the number of pairs, not with the stored history (DISTINCT ON
 * over the results would read every row of the range). At most LATEST_MAX_PAIRS pairs, by agent
 * name then check id; one more is read to tell whether any were left off.
 */
export async function latestResults(db: Queryable, q: LatestQuery): Promise<LatestResultsResponse> {
  const { rows } = await db.query<Row>(
    `WITH pairs AS (
       SELECT a.id AS agent_id, a.name AS agent_name, a.status, c ->> 'id' AS check_id,
              c ->> 'type' AS type, coalesce(c ->> 'target', '') AS target
       FROM agents a CROSS JOIN LATERAL jsonb_array_elements(
              CASE WHEN jsonb_typeof(a.config -> 'checks') = 'array' THEN a.config -> 'checks' ELSE '[]' END) c
       WHERE ($1::uuid IS NULL OR a.id = $1::uuid) AND ($2::text IS NULL OR c ->> 'id' = $2::text)
       ORDER BY a.name, c ->> 'id'
       LIMIT $3
     )
     SELECT p.agent_id AS pair_agent_id, p.agent_name AS pair_agent_name, p.status AS agent_status,
            p.check_id AS pair_check_id, p.type AS pair_type, p.target AS pair_target,
            r.id, r.agent_id, p.agent_name, r.check_id, r.type, r.target, r.time, r.success,
            r.duration_ms, r.error, r.metrics, r.details -> 'trace' AS trace,
            r.details -> 'dns' AS dns
     FROM pairs p
     LEFT JOIN LATERAL (
       SELECT * FROM check_results cr
       WHERE cr.agent_id = p.agent_id AND cr.check_id = p.check_id
       ORDER BY cr.time DESC
       LIMIT 1
     ) r ON true
     ORDER BY p.agent_name, p.check_id`,
    [q.agentId ?? null, q.checkId ?? null, LATEST_MAX_PAIRS + 1],
  );
  const truncated = rows.length > LATEST_MAX_PAIRS;
  return {
    items: rows.slice(0, LATEST_MAX_PAIRS).map((row) => ({
      agentId: row.pair_agent_id,
      agentName: row.pair_agent_name,
      agentStatus: row.agent_status,
      checkId: row.pair_check_id,
      type: row.pair_type as CheckType,
      target: row.pair_target,
      result: row.id === null ? null : toStreamedResult(row as ResultRow),
    })),
    truncated,
  };
}
