import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import type { JwtService } from './jwt.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { findUserByEmail, insertUser, toUser, type UserRow } from './repo.ts';

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(db: Db, jwt: JwtService) {
  const issue = async (row: UserRow) => ({
    token: await jwt.sign({ sub: row.id, role: row.role, name: row.name }),
    user: toUser(row),
  });

  return {
    async signup(input: { name: string; email: string; password: string }) {
      const passwordHash = await hashPassword(input.password);
      const row = await db.transaction((tx) => insertUser(tx, { name: input.name, email: input.email, passwordHash }));
      if (!row) throw errors.conflict(`an account with email ${input.email} already exists`);
      return issue(row);
    },

    async login(input: { email: string; password: string }) {
      const row = await findUserByEmail(db, input.email);
      const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), input.password);
      if (!row || !ok) throw errors.badCredentials();
      return issue(row);
    },

    /** NOP_ADMIN_EMAIL/NOP_ADMIN_PASSWORD: make sure that admin exists (never changes an existing password). */
    async ensureAdmin(email: string, password: string): Promise<boolean> {
      if (await findUserByEmail(db, email.toLowerCase())) return false;
      const passwordHash = await hashPassword(password);
      const row = await db.transaction((tx) =>
        insertUser(tx, { name: 'Administrator', email: email.toLowerCase(), passwordHash, role: 'admin' }),
      );
      return !!row;
    },
  };
}
