import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import type { JwtService } from './jwt.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { findUserByEmail, hasUsers, insertUser, lockSignups, toUser, type UserRow } from './repo.ts';

export type AuthService = ReturnType<typeof createAuthService>;

/** `open`: anyone may sign up (as a user; the first one becomes admin). `closed`: only the first. */
export type SignupPolicy = 'open' | 'closed';

export function createAuthService(db: Db, jwt: JwtService, signupPolicy: SignupPolicy = 'open') {
  const issue = async (row: UserRow) => ({
    token: await jwt.sign({ sub: row.id, role: row.role, name: row.name }),
    user: toUser(row),
  });

  return {
    async signup(input: { name: string; email: string; password: string }) {
      const passwordHash = await hashPassword(input.password);
      const row = await db.transaction(async (tx) => {
        await lockSignups(tx);
        if (signupPolicy === 'closed' && (await hasUsers(tx)))
          throw errors.forbidden('sign-up is closed on this server (NOP_SIGNUP=closed); ask an admin for an account');
        return insertUser(tx, { name: input.name, email: input.email, passwordHash });
      });
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
