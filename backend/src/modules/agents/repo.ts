import type { Agent, AgentConfig, AgentLocation, AgentStatus, AgentType } from '@nop/protocol';
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
  labels: Record<string, string>;
  location: AgentLocation | null;
  status: AgentStatus;
  desired_state: 'running' | 'stopped';
  last_seen: Date | null;
  created_at: Date;
}

const COLUMNS =
  'id, name, type, owner_id, managed, config, labels, location, status, desired_state, last_seen, created_at';

export const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  name: row.name,
  type: row.type,
  ownerId: row.owner_id,
  managed: row.managed,
  // write-only settings (credentials) are never answered, only that they are set
  config: { ...row.config, checks: maskChecks(row.config.checks ?? []) },
  labels: row.labels,
  location: row.location,
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

/**
 * Returns undefined when the name is taken. The config starts without checks, so the first compile
 * (which the caller runs in the same transaction) always writes version 1.
 */
export async function insertAgent(
  tx: Queryable,
  agent: {
    name: string;
    type: AgentType;
    ownerId: string | null;
    managed: boolean;
    tokenHash: string;
    labels?: Record<string, string>;
    location?: AgentLocation | null;
  },
): Promise<AgentRow | undefined> {
  const { rows } = await tx.query<AgentRow>(
    `INSERT INTO agents (name, type, owner_id, managed, config, token_hash, labels, location)
     VALUES ($1, $2, $3, $4, '{"version": 0}'::jsonb, $5, $6::jsonb, $7::jsonb)
     ON CONFLICT (name) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      agent.name,
      agent.type,
      agent.ownerId,
      agent.managed,
      agent.tokenHash,
      JSON.stringify(agent.labels ?? {}),
      agent.location ? JSON.stringify(agent.location) : null,
    ],
  );
  return rows[0];
}

/** Renames, relabels and/or relocates (`location: null` clears it). Throws on a duplicate name. */
export async function updateAgent(
  tx: Queryable,
  id: string,
  change: { name?: string; labels?: Record<string, string>; location?: AgentLocation | null },
): Promise<AgentRow | undefined> {
  const { rows } = await tx.query<AgentRow>(
    `UPDATE agents SET
       name = COALESCE($2, name),
       labels = COALESCE($3::jsonb, labels),
       location = CASE WHEN $4::boolean THEN $5::jsonb ELSE location END,
       updated_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [
      id,
      change.name ?? null,
      change.labels ? JSON.stringify(change.labels) : null,
      change.location !== undefined,
      change.location ? JSON.stringify(change.location) : null,
    ],
  );
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
