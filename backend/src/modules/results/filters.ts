import type { Queryable } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import type { ResultFilters } from './query.ts';

/**
 * The WHERE conditions of a filter on `check_results r`, appending their values to `params`.
 * Only the given filters become conditions: each statement then names exactly the columns an
 * index can serve, whatever plan the server caches.
 */
export function filterSql(filters: ResultFilters, params: unknown[]): string[] {
  const where: string[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filters.agentId !== undefined) where.push(`r.agent_id = ${bind(filters.agentId)}::uuid`);
  if (filters.checkId !== undefined) where.push(`r.check_id = ${bind(filters.checkId)}`);
  if (filters.status === 'ok') where.push('r.success');
  if (filters.status === 'failed') where.push('NOT r.success');
  if (filters.from !== undefined) where.push(`r.time >= ${bind(new Date(filters.from).toISOString())}::timestamptz`);
  if (filters.to !== undefined) where.push(`r.time < ${bind(new Date(filters.to).toISOString())}::timestamptz`);
  return where;
}

const unknown = (field: string, message: string) =>
  errors.validation(`query.${field}: ${message}`, [{ path: `query.${field}`, message }]);

/**
 * A 400 naming the field when an agent id names no agent, or a check id is in no agent's config
 * and has no stored result: a typo answers "no such check", not an empty history.
 */
export async function assertKnownIds(db: Queryable, ids: { agentId?: string; checkId?: string }) {
  const { rows } = await db.query<{ agent: boolean; check: boolean }>(
    `SELECT ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM agents WHERE id = $1::uuid)) AS agent,
            ($2::text IS NULL
             OR EXISTS (SELECT 1 FROM agents WHERE config -> 'checks' @> jsonb_build_array(jsonb_build_object('id', $2::text)))
             OR EXISTS (SELECT 1 FROM check_results WHERE check_id = $2::text)) AS check`,
    [ids.agentId ?? null, ids.checkId ?? null],
  );
  if (!rows[0]?.agent) throw unknown('agent_id', 'no such agent');
  if (!rows[0]?.check) throw unknown('check_id', 'no such check: no agent runs it and no result names it');
}
