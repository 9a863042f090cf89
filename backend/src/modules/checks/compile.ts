import type { Queryable } from '../../db/db.ts';

/**
 * Each agent's config is compiled from the checks assigned to it: by id (check_assignments) or by
 * label selector (the check's selector ⊆ the agent's labels), enabled, of a type the agent runs.
 * An editor's selector reaches only agents that editor owns; an admin's (or an ownerless) check
 * reaches any agent. The result is stored in agents.config with a version that grows on every
 * change, so an agent applies configs in order and the link reads one row.
 */

/** Serialises every change to checks, assignments and labels, so no compile reads a stale set. */
export async function lockCompilation(tx: Queryable) {
  await tx.query('SELECT pg_advisory_xact_lock(727004)');
}

const FAMILY = `CASE a.type WHEN 'ping' THEN 'icmp' ELSE a.type END`;

/**
 * Rebuilds the configs of these agents; returns the ones that changed (to be told after commit)
 * with their check counts.
 */
export async function recompileAgents(
  tx: Queryable,
  agentIds: string[],
): Promise<Array<{ id: string; checks: number }>> {
  if (!agentIds.length) return [];
  const { rows } = await tx.query<{ id: string; checks: number }>(
    `WITH compiled AS (
       SELECT a.id,
              COALESCE(jsonb_agg(c.spec ORDER BY c.id) FILTER (WHERE c.id IS NOT NULL), '[]'::jsonb) AS checks
       FROM agents a
       LEFT JOIN checks c ON c.enabled
         AND (a.type = 'multi' OR c.type = ${FAMILY})
         AND (EXISTS (SELECT 1 FROM check_assignments x WHERE x.check_id = c.id AND x.agent_id = a.id)
              OR (c.selector <> '{}'::jsonb AND a.labels @> c.selector
                  AND (c.owner_id IS NULL OR c.owner_id = a.owner_id
                       OR EXISTS (SELECT 1 FROM users u WHERE u.id = c.owner_id AND u.role = 'admin'))))
       WHERE a.id = ANY($1::uuid[])
       GROUP BY a.id
     )
     UPDATE agents a
     SET config = jsonb_build_object('version', (a.config->>'version')::int + 1, 'checks', compiled.checks),
         updated_at = now()
     FROM compiled
     WHERE a.id = compiled.id AND a.config->'checks' IS DISTINCT FROM compiled.checks
     RETURNING a.id, jsonb_array_length(compiled.checks) AS checks`,
    [agentIds],
  );
  return rows;
}

/**
 * The agents a check change may touch: those running it now, those assigned by id, and those its
 * selector (before or after the change) matches.
 */
export async function agentsTouchedBy(
  tx: Queryable,
  checkId: string,
  selectors: Array<Record<string, string>>,
  agentIds: string[],
): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM agents
     WHERE config->'checks' @> jsonb_build_array(jsonb_build_object('id', $1::text))
        OR id IN (SELECT agent_id FROM check_assignments WHERE check_id = $1)
        OR id = ANY($2::uuid[])
        OR EXISTS (SELECT 1 FROM jsonb_array_elements($3::jsonb) s WHERE s <> '{}'::jsonb AND labels @> s)`,
    [checkId, agentIds, JSON.stringify(selectors)],
  );
  return rows.map((r) => r.id);
}
