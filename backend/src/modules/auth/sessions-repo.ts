import type { Queryable } from '../../db/db.ts';
import type { UserRow } from '../users/repo.ts';

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

/** A session with its user, as one request's authentication needs them (one query). */
export type SessionWithUser = SessionRow & Pick<UserRow, 'name' | 'email' | 'role' | 'disabled_at' | 'token_version'>;

export async function createSession(
  db: Queryable,
  session: { userId: string; expiresAt: Date; ip?: string; userAgent?: string },
): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO sessions (user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4) RETURNING *`,
    [session.userId, session.expiresAt, session.ip ?? null, session.userAgent?.slice(0, 512) ?? null],
  );
  return rows[0]!;
}

export async function findSessionWithUser(db: Queryable, id: string): Promise<SessionWithUser | undefined> {
  const { rows } = await db.query<SessionWithUser>(
    `SELECT s.*, u.name, u.email, u.role, u.disabled_at, u.token_version
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

/** The user's live sessions, newest first, a page at a time (cursor: created_at, id). */
export async function listSessions(
  db: Queryable,
  userId: string,
  limit: number,
  after?: [string, string],
): Promise<Array<SessionRow & { sort_key: string }>> {
  const { rows } = await db.query<SessionRow & { sort_key: string }>(
    `SELECT *, created_at::text AS sort_key FROM sessions
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
       AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return rows;
}

/** Revokes one session of a user; false when it is not theirs or already over. */
export async function revokeSession(db: Queryable, id: string, userId: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE sessions SET revoked_at = now()
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
    [id, userId],
  );
  return rows.length > 0;
}

/** Revokes every live session of a user (but `except`); returns their ids. */
export async function revokeUserSessions(db: Queryable, userId: string, except?: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE sessions SET revoked_at = now()
     WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING id`,
    [userId, except ?? null],
  );
  return rows.map((r) => r.id);
}

/** Of these sessions, those still live (not revoked or expired, user enabled), with the user's token version. */
export async function liveSessionVersions(db: Queryable, ids: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: string; token_version: number }>(
    `SELECT s.id, u.token_version FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.token_version]));
}

/** Last use, written at most once a minute per session. */
export async function touchSession(db: Queryable, id: string) {
  await db.query(
    `UPDATE sessions SET last_used_at = now() WHERE id = $1 AND last_used_at < now() - interval '1 minute'`,
    [id],
  );
}

/** Sessions that ended more than 30 days ago are of no use to anyone. */
export async function pruneSessions(db: Queryable) {
  await db.query(`DELETE FROM sessions WHERE COALESCE(revoked_at, expires_at) < now() - interval '30 days'`);
}
