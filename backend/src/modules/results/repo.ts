import type { CheckResult } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';

/**
 * Inserts a batch in one statement (arrays + unnest: one round trip whatever the size).
 * Rows whose (id, time) is already stored are skipped, so a re-sent batch is harmless (the key of a
 * partitioned table holds its partition key; a re-sent result repeats both).
 * Returns the ids that were new.
 */
export async function insertResults(db: Queryable, agentId: string, results: CheckResult[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO check_results (id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics, details)
     SELECT r.id, $1, r.check_id, r.type, r.target, r.time, r.success, r.duration_ms, r.error, r.metrics::jsonb,
            r.details::jsonb
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[],
                 $8::float8[], $9::text[], $10::text[], $11::text[])
          AS r(id, check_id, type, target, time, success, duration_ms, error, metrics, details)
     ON CONFLICT (id, time) DO NOTHING
     RETURNING id`,
    [
      agentId,
      results.map((r) => r.id),
      results.map((r) => r.checkId),
      results.map((r) => r.type),
      results.map((r) => r.target),
      results.map((r) => r.time),
      results.map((r) => r.success),
      results.map((r) => r.durationMs),
      results.map((r) => r.error ?? null),
      results.map((r) => JSON.stringify(r.metrics)),
      results.map(detailsOf),
    ],
  );
  return new Set(rows.map((r) => r.id));
}

/** The structured parts of a result, kept in one jsonb column: a traceroute's hops, a DNS answer. */
function detailsOf(result: CheckResult): string | null {
  if (!result.trace && !result.dns) return null;
  return JSON.stringify({
    ...(result.trace ? { trace: result.trace } : {}),
    ...(result.dns ? { dns: result.dns } : {}),
  });
}
