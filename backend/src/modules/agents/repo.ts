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
  clock_skew_ms: number | null;
  created_at: Date;
}

const COLUMNS =
  'id, name, type, owner_id, managed, config, labels, location, status, desired_state, last_seen, clock_skew_ms, created_at';

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
  clockSkewMs: row.clock_skew_ms ?? null,
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

/** The link `linkId` now owns the agent's status, for one lease. */
export async function markLinked(db: Queryable, id: string, linkId: string, leaseMs: number) {
  return (
    await db.query<AgentRow>(
      `UPDATE agents SET link_id = $2, last_seen = now(), lease_expires_at = now() + $3 * interval '1 millisecond',
         status = CASE WHEN desired_state = 'running' THEN 'online' ELSE 'stopped' END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, linkId, leaseMs],
    )
  ).rows[0];
}

/**
 * Extends the leases of the links this replica holds. A link whose agent was swept offline while
 * this replica could not renew (its database was down) takes the agent back with the state it last
 * reported: those rows are returned, so their status can be published again.
 */
export async function renewLeases(
  db: Queryable,
  links: ReadonlyArray<{ agentId: string; linkId: string; status: 'online' | 'stopped' }>,
  leaseMs: number,
): Promise<AgentRow[]> {
  if (links.length === 0) return [];
  const params = [links.map((l) => l.agentId), links.map((l) => l.linkId), links.map((l) => l.status), leaseMs];
  const pairs = `unnest($1::uuid[], $2::uuid[], $3::text[]) AS l(agent_id, link_id, status)`;
  const lease = `now() + $4 * interval '1 millisecond'`;
  const { rows: reclaimed } = await db.query<AgentRow>(
    `UPDATE agents a SET lease_expires_at = ${lease}, link_id = l.link_id, status = l.status, last_seen = now()
     FROM ${pairs} WHERE a.id = l.agent_id AND a.link_id IS NULL
     RETURNING ${COLUMNS.split(', ')
       .map((c) => `a.${c}`)
       .join(', ')}`,
    params,
  );
  await db.query(
    `UPDATE agents a SET lease_expires_at = ${lease}
     FROM ${pairs} WHERE a.id = l.agent_id AND a.link_id = l.link_id`,
    params,
  );
  return reclaimed;
}

/** Agents whose link's lease ran out (its replica died or lost its database): offline, unlinked. */
export async function sweepExpiredLeases(db: Queryable): Promise<AgentRow[]> {
  const { rows } = await db.query<AgentRow>(
    `UPDATE agents SET link_id = NULL, lease_expires_at = NULL,
       status = CASE WHEN managed AND desired_state = 'stopped' THEN 'stopped' ELSE 'offline' END
     WHERE link_id IS NOT NULL AND lease_expires_at < now() RETURNING ${COLUMNS}`,
  );
  return rows;
}

/** Records the agent's clock skew when it moved by more than `minChangeMs` (not a write per batch). */
export async function recordClockSkew(db: Queryable, id: string, skewMs: number, minChangeMs: number) {
  await db.query(
    `UPDATE agents SET clock_skew_ms = $2
     WHERE id = $1 AND (clock_skew_ms IS NULL OR abs(clock_skew_ms - $2) > $3)`,
    [id, skewMs, minChangeMs],
  );
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
      `UPDATE agents SET link_id = NULL, lease_expires_at = NULL,
         status = CASE WHEN managed AND desired_state = 'stopped' THEN 'stopped' ELSE 'offline' END
       WHERE id = $1 AND link_id = $2 RETURNING ${COLUMNS}`,
      [id, linkId],
    )
  ).rows[0];
}

export async function touchLastSeen(db: Queryable, id: string) {
  await db.query('UPDATE agents SET last_seen = now() WHERE id = $1', [id]);
}
