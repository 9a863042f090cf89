import type { Invitation, Role } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';

export interface InvitationRow {
  sort_key: string;
  id: string;
  email: string;
  role: Role;
  token_hash: string;
  created_by: string | null;
  creator_name: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export function statusOf(row: InvitationRow, now = Date.now()): Invitation['status'] {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return new Date(row.expires_at).getTime() <= now ? 'expired' : 'pending';
}

export const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: statusOf(row),
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: new Date(row.expires_at).toISOString(),
  createdBy: row.created_by ? { id: row.created_by, name: row.creator_name ?? '' } : null,
});

// with the creator's name, and the paging key (created_at as PostgreSQL prints it: exact to the µs)
const COLUMNS = `i.*, u.name AS creator_name, i.created_at::text AS sort_key`;
const SELECT = `SELECT ${COLUMNS} FROM invitations i LEFT JOIN users u ON u.id = i.created_by`;

export async function insertInvitation(
  db: Queryable,
  invitation: { email: string; role: Role; hash: string; createdBy: string; expiresAt: Date },
): Promise<InvitationRow> {
  // one round trip: the new row with its creator's name
  const { rows } = await db.query<InvitationRow>(
    `WITH i AS (INSERT INTO invitations (email, role, token_hash, created_by, expires_at)
                VALUES ($1, $2, $3, $4, $5) RETURNING *)
     SELECT ${COLUMNS} FROM i LEFT JOIN users u ON u.id = i.created_by`,
    [invitation.email, invitation.role, invitation.hash, invitation.createdBy, invitation.expiresAt],
  );
  return rows[0]!;
}

export async function findInvitationByHash(db: Queryable, hash: string, lock = false) {
  const { rows } = await db.query<InvitationRow>(`${SELECT} WHERE i.token_hash = $1${lock ? ' FOR UPDATE OF i' : ''}`, [
    hash,
  ]);
  return rows[0];
}

// the status of statusOf(), in SQL, for filtering
const STATUS_SQL = `CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted' WHEN i.revoked_at IS NOT NULL THEN 'revoked'
                        WHEN i.expires_at <= now() THEN 'expired' ELSE 'pending' END`;

/** Newest first, a page at a time (cursor: created_at, id), optionally of one status. */
export async function listInvitations(
  db: Queryable,
  limit: number,
  after?: [string, string],
  status?: Invitation['status'],
) {
  const { rows } = await db.query<InvitationRow>(
    `${SELECT}
     WHERE ($1::timestamptz IS NULL OR (i.created_at, i.id) < ($1::timestamptz, $2::uuid))
       AND ($4::text IS NULL OR ${STATUS_SQL} = $4)
     ORDER BY i.created_at DESC, i.id DESC LIMIT $3`,
    [after?.[0] ?? null, after?.[1] ?? null, limit + 1, status ?? null],
  );
  return rows;
}

export async function revokeInvitation(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE invitations SET revoked_at = now()
     WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

export async function markAccepted(db: Queryable, id: string, userId: string) {
  await db.query(`UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [id, userId]);
}
