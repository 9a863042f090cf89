import type { ApiToken, Role } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import type { UserRow } from '../users/repo.ts';

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  role: Role;
  token_hash: string;
  prefix: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  last_used_ip: string | null;
  revoked_at: Date | null;
}

export type ApiTokenWithUser = ApiTokenRow & {
  user_name: string;
  email: string;
  user_role: Role;
  disabled_at: UserRow['disabled_at'];
};

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: row.prefix,
  createdAt: iso(row.created_at)!,
  expiresAt: iso(row.expires_at)!,
  lastUsedAt: iso(row.last_used_at),
  lastUsedIp: row.last_used_ip,
});

export async function insertApiToken(
  db: Queryable,
  token: { userId: string; name: string; role: Role; hash: string; prefix: string; expiresAt: Date },
): Promise<ApiTokenRow> {
  const { rows } = await db.query<ApiTokenRow>(
    `INSERT INTO api_tokens (user_id, name, role, token_hash, prefix, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [token.userId, token.name, token.role, token.hash, token.prefix, token.expiresAt],
  );
  return rows[0]!;
}

export async function findApiTokenWithUser(db: Queryable, hash: string): Promise<ApiTokenWithUser | undefined> {
  const { rows } = await db.query<ApiTokenWithUser>(
    `SELECT t.*, u.name AS user_name, u.email, u.role AS user_role, u.disabled_at
     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
    [hash],
  );
  return rows[0];
}

/** Tokens that still work, newest first (cursor: created_at, id). */
export async function listApiTokens(
  db: Queryable,
  userId: string,
  limit: number,
  after?: [string, string],
): Promise<Array<ApiTokenRow & { sort_key: string }>> {
  const { rows } = await db.query<ApiTokenRow & { sort_key: string }>(
    `SELECT *, created_at::text AS sort_key FROM api_tokens
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
       AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return rows;
}

export async function countLiveApiTokens(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
    [userId],
  );
  return rows[0]!.n;
}

export async function revokeApiToken(db: Queryable, id: string, userId: string): Promise<ApiTokenRow | undefined> {
  const { rows } = await db.query<ApiTokenRow>(
    `UPDATE api_tokens SET revoked_at = now()
     WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING *`,
    [id, userId],
  );
  return rows[0];
}

/** Of these tokens, those that still work (not revoked or expired, owner enabled). */
export async function liveApiTokenIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.id = ANY($1::uuid[]) AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL`,
    [ids],
  );
  return new Set(rows.map((row) => row.id));
}

/** Last use and address, written at most once a minute per token. */
export async function touchApiToken(db: Queryable, id: string, ip: string | undefined) {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now(), last_used_ip = $2
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id, ip ?? null],
  );
}
