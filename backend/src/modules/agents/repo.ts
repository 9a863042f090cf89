import type { Agent, AgentConfig, AgentStatus, AgentType, CheckSpec } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import { isUuid } from '../../lib/ids.ts';
import { maskChecks } from '../../secrets/check-secrets.ts';

export interface AgentRow {
  id: string;
  name: string;
  type: AgentType;
  owner_id: string | null;
  managed: boolean;
  config: AgentConfig;
  status: AgentStatus;
  desired_state: 'running' | 'stopped';
  last_seen: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, name, type, owner_id, managed, config, status, desired_state, last_seen, created_at';

export const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  name: row.name,
  type: row.type,
  ownerId: row.owner_id,
  managed: row.managed,
  // write-only settings (credentials) are never answered, only that they are set
  config: { ...row.config, checks: maskChecks(row.config.checks) },
  status: row.status,
  desiredState: row.desired_state,
  lastSeen: row.last_seen ? new Date(row.last_seen).toISOString() : null,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Agents by name, a page at a time (limit + 1 rows: the extra one says another page exists). */
export async function listAgents(db: Queryable, limit: number, afterName?: string): Promise<AgentRow[]> {
  return (
    await db.query<AgentRow>(
      `SELECT ${COLUMNS} FROM agents WHERE ($1::text IS NULL OR name > $1) ORDER BY name LIMIT $2`,
      [afterName ?? null, limit + 1],
    )
  ).rows;
}

export async function countOwnedAgents(db: Queryable, ownerId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM agents WHERE owner_id = $1', [
    ownerId,
  ]);
  return rows[0]!.n;
}

export async function getAgent(db: Queryable, id: string): Promise<AgentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await db.query<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE id = $1`, [id])).rows[0];
}

export async function findAgentByName(db: Queryable, name: string): Promise<AgentRow | undefined> {
  return (await db.query<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE name = $1`, [name])).rows[0];
}

export async function findAgentByTokenHash(db: Queryable, hash: string): Promise<AgentRow | undefined> {
  return (await db.query<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE token_hash = $1`, [hash])).rows[0];
}

/** Mirrors the config's checks into the checks table (what results and alert rules refer to). */
export async function syncChecks(tx: Queryable, agentId: string, checks: CheckSpec[]) {
  await tx.query('DELETE FROM checks WHERE agent_id = $1', [agentId]);
  if (checks.length === 0) return;
  await tx.query(
    `INSERT INTO checks (agent_id, id, type, target, spec)
     SELECT $1, c.id, c.type, c.target, c.spec::jsonb
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS c(id, type, target, spec)`,
    [
      agentId,
      checks.map((c) => c.id),
      checks.map((c) => c.type),
      checks.map((c) => c.target),
      checks.map((c) => JSON.stringify(c)),
    ],
  );
}

/** Returns undefined when the name is taken. */
export async function insertAgent(
  tx: Queryable,
  agent: {
    name: string;
    type: AgentType;
    ownerId: string | null;
    managed: boolean;
    checks: CheckSpec[];
    tokenHash: string;
  },
): Promise<AgentRow | undefined> {
  const config: AgentConfig = { version: 1, checks: agent.checks };
  const { rows } = await tx.query<AgentRow>(
    `INSERT INTO agents (name, type, owner_id, managed, config, token_hash)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (name) DO NOTHING
     RETURNING ${COLUMNS}`,
    [agent.name, agent.type, agent.ownerId, agent.managed, JSON.stringify(config), agent.tokenHash],
  );
  if (rows[0]) await syncChecks(tx, rows[0].id, agent.checks);
  return rows[0];
}

/** Renames and/or replaces the checks (bumping the config version). Throws on a duplicate name. */
export async function updateAgent(
  tx: Queryable,
  id: string,
  change: { name?: string; checks?: CheckSpec[] },
): Promise<AgentRow | undefined> {
  const { rows } = await tx.query<AgentRow>(
    `UPDATE agents SET
       name = COALESCE($2, name),
       config = CASE WHEN $3::jsonb IS NULL THEN config
                ELSE jsonb_build_object('version', (config->>'version')::int + 1, 'checks', $3::jsonb) END,
       updated_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [id, change.name ?? null, change.checks ? JSON.stringify(change.checks) : null],
  );
  if (rows[0] && change.checks) await syncChecks(tx, id, change.checks);
  return rows[0];
}

export async function deleteAgent(db: Queryable, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  return (await db.query('DELETE FROM agents WHERE id = $1 RETURNING id', [id])).rows.length > 0;
}

export async function setDesiredState(db: Queryable, id: string, state: 'running' | 'stopped') {
  return (
    await db.query<AgentRow>(
      `UPDATE agents SET desired_state = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, state],
    )
  ).rows[0];
}

export async function setTokenHash(db: Queryable, id: string, tokenHash: string) {
  await db.query('UPDATE agents SET token_hash = $2, updated_at = now() WHERE id = $1', [id, tokenHash]);
}

/** The link `linkId` now owns the agent's status. */
export async function markLinked(db: Queryable, id: string, linkId: string) {
  return (
    await db.query<AgentRow>(
      `UPDATE agents SET link_id = $2, last_seen = now(),
         status = CASE WHEN desired_state = 'running' THEN 'online' ELSE 'stopped' END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, linkId],
    )
  ).rows[0];
}

/** Status as the agent reports it; ignored when another link has taken over the agent. */
export async function setLinkStatus(db: Queryable, id: string, linkId: string, status: AgentStatus) {
  return (
    await db.query<AgentRow>(
      `UPDATE agents SET status = $3, last_seen = now() WHERE id = $1 AND link_id = $2 RETURNING ${COLUMNS}`,
      [id, linkId, status],
    )
  ).rows[0];
}

/** The link closed: offline, unless it was a managed agent stopped on purpose. */
export async function markUnlinked(db: Queryable, id: string, linkId: string) {
  return (
    await db.query<AgentRow>(
      `UPDATE agents SET link_id = NULL,
         status = CASE WHEN managed AND desired_state = 'stopped' THEN 'stopped' ELSE 'offline' END
       WHERE id = $1 AND link_id = $2 RETURNING ${COLUMNS}`,
      [id, linkId],
    )
  ).rows[0];
}

export async function touchLastSeen(db: Queryable, id: string) {
  await db.query('UPDATE agents SET last_seen = now() WHERE id = $1', [id]);
}
