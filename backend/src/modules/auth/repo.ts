import type { Queryable } from '../../db/db.ts';

export interface UserRow {
  id: string;
  name: string;
  email: string;
  password_hash: string;
  role: 'admin' | 'user';
}

export const toUser = (row: UserRow) => ({ id: row.id, name: row.name, email: row.email, role: row.role });

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}

/** Serialises signups (a transaction-scoped advisory lock, re-entrant within the transaction). */
export async function lockSignups(tx: Queryable) {
  await tx.query('SELECT pg_advisory_xact_lock(727002)');
}

export async function hasUsers(tx: Queryable): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM users LIMIT 1')).rows.length > 0;
}

/**
 * Inserts a user; the first user ever becomes admin. The advisory lock makes "first" exact when
 * two signups race on different replicas. Returns undefined when the email is taken.
 */
export async function insertUser(
  tx: Queryable,
  user: { name: string; email: string; passwordHash: string; role?: 'admin' | 'user' },
): Promise<UserRow | undefined> {
  await lockSignups(tx);
  const { rows } = await tx.query<UserRow>(
    `INSERT INTO users (name, email, password_hash, role)
     VALUES ($1, $2, $3, COALESCE($4, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END))
     ON CONFLICT (email) DO NOTHING
     RETURNING *`,
    [user.name, user.email, user.passwordHash, user.role ?? null],
  );
  return rows[0];
}
