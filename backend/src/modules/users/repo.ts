import type { Role, User } from '@nop/protocol';
import type { Queryable } from '../../db/db.ts';
import { isUuid } from '../../lib/ids.ts';

export interface UserRow {
  id: string;
  name: string;
  email: string;
  password_hash: string;
  role: Role;
  disabled_at: Date | null;
  token_version: number;
  created_at: Date;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  disabled: row.disabled_at !== null,
  createdAt: new Date(row.created_at).toISOString(),
});

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}

/** Serialises sign-ups and admin changes (a transaction-scoped advisory lock, re-entrant within it). */
export async function lockUsers(tx: Queryable) {
  await tx.query('SELECT pg_advisory_xact_lock(727002)');
}

export async function hasUsers(tx: Queryable): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM users LIMIT 1')).rows.length > 0;
}

/**
 * Inserts a user; the first user ever becomes admin whatever `role` says. The advisory lock makes
 * "first" exact when two sign-ups race on different replicas. Undefined when the email is taken.
 */
export async function insertUser(
  tx: Queryable,
  user: { name: string; email: string; passwordHash: string; role: Role },
): Promise<UserRow | undefined> {
  await lockUsers(tx);
  const { rows } = await tx.query<UserRow>(
    `INSERT INTO users (name, email, password_hash, role)
     VALUES ($1, $2, $3, CASE WHEN EXISTS (SELECT 1 FROM users) THEN $4 ELSE 'admin' END)
     ON CONFLICT (email) DO NOTHING
     RETURNING *`,
    [user.name, user.email, user.passwordHash, user.role],
  );
  return rows[0];
}

/** Users by email, a page at a time. */
export async function listUsers(db: Queryable, limit: number, after?: string): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>(
    'SELECT * FROM users WHERE ($1::text IS NULL OR email > $1) ORDER BY email LIMIT $2',
    [after ?? null, limit + 1],
  );
  return rows;
}

/** Admins who can still sign in: the last one may not be demoted, disabled or deleted. */
export async function countActiveAdmins(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL",
  );
  return rows[0]!.n;
}

/**
 * Changes a user. A new role or disabling ends every session (the token version grows), as does
 * a new password (`passwordHash`).
 */
export async function updateUser(
  tx: Queryable,
  id: string,
  change: { name?: string; role?: Role; disabled?: boolean; passwordHash?: string },
): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>(
    `UPDATE users SET
       name = COALESCE($2, name),
       role = COALESCE($3, role),
       disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at
                          WHEN $4 THEN COALESCE(disabled_at, now()) ELSE NULL END,
       password_hash = COALESCE($5, password_hash),
       token_version = token_version + CASE
         WHEN ($3::text IS NOT NULL AND $3 <> role) OR ($4::boolean AND disabled_at IS NULL) OR $5::text IS NOT NULL
         THEN 1 ELSE 0 END,
       updated_at = now()
     WHERE id = $1
     RETURNING *`,
    [id, change.name ?? null, change.role ?? null, change.disabled ?? null, change.passwordHash ?? null],
  );
  return rows[0];
}

export async function deleteUser(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('DELETE FROM users WHERE id = $1 RETURNING id', [id])).rows.length > 0;
}
