import type { AuditEntry } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';

export interface AuditRecord {
  actorKind: AuditEntry['actor']['kind'];
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  ip: string | null;
  status: number;
  details: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  time: Date;
  actor_kind: AuditEntry['actor']['kind'];
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  ip: string | null;
  status: number;
  details: Record<string, unknown>;
}

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: String(row.id),
  time: new Date(row.time).toISOString(),
  actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
  action: row.action,
  target: row.target_type ? { type: row.target_type, id: row.target_id, name: row.target_name } : null,
  ip: row.ip,
  status: row.status,
  details: row.details ?? {},
});

export async function insertAudit(db: Queryable, r: AuditRecord) {
  await db.query(
    `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target_type, target_id, target_name, ip, status, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
    [
      r.actorKind,
      r.actorId,
      r.actorName,
      r.action,
      r.targetType,
      r.targetId,
      r.targetName,
      r.ip,
      r.status,
      JSON.stringify(r.details),
    ],
  );
}

export interface AuditFilter {
  actorId?: string;
  /** "agent.update", or "agent" for every agent.* action */
  action?: string;
  targetId?: string;
  from?: number;
  to?: number;
}

/** Newest first (ids grow with every insert); the cursor is the id of the last entry seen. */
export async function listAudit(
  db: Queryable,
  filter: AuditFilter,
  limit: number,
  afterId?: string,
): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit_log
     WHERE ($1::uuid IS NULL OR actor_id = $1::uuid)
       AND ($2::text IS NULL OR action = $2 OR action LIKE $2 || '.%')
       AND ($3::text IS NULL OR target_id = $3)
       AND ($4::float8 IS NULL OR time >= to_timestamp($4))
       AND ($5::float8 IS NULL OR time < to_timestamp($5))
       AND ($6::bigint IS NULL OR id < $6::bigint)
     ORDER BY id DESC
     LIMIT $7`,
    [
      filter.actorId ?? null,
      filter.action ?? null,
      filter.targetId ?? null,
      filter.from === undefined ? null : filter.from / 1000,
      filter.to === undefined ? null : filter.to / 1000,
      afterId ?? null,
      limit + 1,
    ],
  );
  return rows;
}
