import type { AgentStatus, CheckSpec, CheckType } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';

export interface CheckRow {
  id: string;
  type: CheckType;
  target: string;
  /** the CheckSpec, secrets encrypted */
  spec: CheckSpec;
  labels: Record<string, string>;
  /** labels an agent must carry to run the check; {} = none */
  selector: Record<string, string>;
  enabled: boolean;
  owner_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** explicit assignments, aggregated */
  agent_ids: string[];
}

const SELECT = `SELECT c.id, c.type, c.target, c.spec, c.labels, c.selector, c.enabled, c.owner_id, c.version,
       c.created_at, c.updated_at,
       COALESCE((SELECT array_agg(x.agent_id::text ORDER BY x.agent_id) FROM check_assignments x
                 WHERE x.check_id = c.id), '{}') AS agent_ids
FROM checks c`;

export interface CheckFilter {
  type?: CheckType;
  /** labels the check must carry */
  labels?: Record<string, string>;
  /** checks this agent runs now (its compiled config) */
  agentId?: string;
  /** substring of the id or the target */
  text?: string;
  enabled?: boolean;
}

/** `%` and `_` are LIKE wildcards and both occur in ids and targets: match them literally. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A page of checks by id (limit + 1 rows: the extra one says another page exists). */
export async function listChecks(db: Queryable, filter: CheckFilter, limit: number, afterId?: string) {
  const { rows } = await db.query<CheckRow>(
    `${SELECT}
     WHERE ($1::text IS NULL OR c.id > $1)
       AND ($2::text IS NULL OR c.type = $2)
       AND ($3::jsonb IS NULL OR c.labels @> $3::jsonb)
       AND ($4::uuid IS NULL OR c.id IN (SELECT e->>'id' FROM agents a, jsonb_array_elements(a.config->'checks') e
                                         WHERE a.id = $4::uuid))
       AND ($5::text IS NULL OR c.id ILIKE '%' || $5 || '%' OR c.target ILIKE '%' || $5 || '%')
       AND ($6::boolean IS NULL OR c.enabled = $6)
     ORDER BY c.id LIMIT $7`,
    [
      afterId ?? null,
      filter.type ?? null,
      filter.labels ? JSON.stringify(filter.labels) : null,
      filter.agentId ?? null,
      filter.text !== undefined ? likeEscaped(filter.text) : null,
      filter.enabled ?? null,
      limit + 1,
    ],
  );
  return rows;
}

export async function getCheck(db: Queryable, id: string): Promise<CheckRow | undefined> {
  return (await db.query<CheckRow>(`${SELECT} WHERE c.id = $1`, [id])).rows[0];
}

export async function getChecks(db: Queryable, ids: string[]): Promise<CheckRow[]> {
  return (await db.query<CheckRow>(`${SELECT} WHERE c.id = ANY($1::text[])`, [ids])).rows;
}

/** `base` and the ids made from it (`base-2`, `base-3`…) that are taken. */
export async function idsLike(db: Queryable, base: string): Promise<Set<string>> {
  const prefix = base.slice(0, 55);
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM checks WHERE id = $1 OR id LIKE $2 || '%'`, [
    base,
    likeEscaped(prefix),
  ]);
  return new Set(rows.map((r) => r.id));
}

export interface CheckWrite {
  spec: CheckSpec;
  labels: Record<string, string>;
  selector: Record<string, string>;
  enabled: boolean;
  agentIds: string[];
}

/** Returns false when the id is taken. */
export async function insertCheck(tx: Queryable, check: CheckWrite, ownerId: string | null): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO checks (id, type, target, spec, labels, selector, enabled, owner_id)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      check.spec.id,
      check.spec.type,
      check.spec.target,
      JSON.stringify(check.spec),
      JSON.stringify(check.labels),
      JSON.stringify(check.selector),
      check.enabled,
      ownerId,
    ],
  );
  if (!rows.length) return false;
  await setAssignments(tx, check.spec.id, check.agentIds);
  return true;
}

/** Replaces a check's settings; the version grows only when something changed. */
export async function updateCheck(tx: Queryable, check: CheckWrite) {
  await tx.query(
    `UPDATE checks SET type = $2, target = $3, spec = $4::jsonb, labels = $5::jsonb, selector = $6::jsonb,
       enabled = $7, version = version + 1, updated_at = now()
     WHERE id = $1 AND (spec, labels, selector, enabled) IS DISTINCT FROM ($4::jsonb, $5::jsonb, $6::jsonb, $7)`,
    [
      check.spec.id,
      check.spec.type,
      check.spec.target,
      JSON.stringify(check.spec),
      JSON.stringify(check.labels),
      JSON.stringify(check.selector),
      check.enabled,
    ],
  );
  await setAssignments(tx, check.spec.id, check.agentIds);
}

async function setAssignments(tx: Queryable, checkId: string, agentIds: string[]) {
  await tx.query('DELETE FROM check_assignments WHERE check_id = $1 AND NOT (agent_id = ANY($2::uuid[]))', [
    checkId,
    agentIds,
  ]);
  if (agentIds.length)
    await tx.query(
      `INSERT INTO check_assignments (check_id, agent_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [checkId, agentIds],
    );
}

/** Adds one agent to a check's explicit assignments (the agents API's `config.checks`). */
export async function assign(tx: Queryable, checkId: string, agentId: string) {
  await tx.query('INSERT INTO check_assignments (check_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    checkId,
    agentId,
  ]);
}

/** Drops an agent's explicit assignments except these checks. */
export async function unassignOthers(tx: Queryable, agentId: string, keep: string[]) {
  await tx.query('DELETE FROM check_assignments WHERE agent_id = $1 AND NOT (check_id = ANY($2::text[]))', [
    agentId,
    keep,
  ]);
}

export async function deleteCheck(tx: Queryable, id: string) {
  await tx.query('DELETE FROM checks WHERE id = $1', [id]);
}

export interface Runner {
  check_id: string;
  id: string;
  name: string;
  status: AgentStatus;
  labels: Record<string, string>;
}

/** The agents running each of these checks now (from their compiled configs). */
export async function runnersOf(db: Queryable, checkIds: string[]): Promise<Runner[]> {
  if (!checkIds.length) return [];
  const { rows } = await db.query<Runner>(
    `SELECT e->>'id' AS check_id, a.id, a.name, a.status, a.labels
     FROM agents a, jsonb_array_elements(a.config->'checks') e
     WHERE e->>'id' = ANY($1::text[])
     ORDER BY a.name`,
    [checkIds],
  );
  return rows;
}
