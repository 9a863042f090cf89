import type { Role, TokenResponse } from '@nop/protocol';
import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import type { RateCounter } from '../../lib/rate-counter.ts';
import { findUserByEmail, findUserById, hasUsers, insertUser, lockUsers, toUser, updateUser } from '../users/repo.ts';
import type { UserRow } from '../users/repo.ts';
import type { Authenticator, Principal } from './authenticator.ts';
import type { JwtService } from './jwt.ts';
import type { PasswordHasher } from './passwords.ts';
import { createSession, revokeSession, revokeUserSessions } from './sessions-repo.ts';

export type AuthService = ReturnType<typeof createAuthService>;

/** Where a request came from: kept with the session so users recognise theirs. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export interface AuthSettings {
  /** `open`: anyone may sign up (as `signupRole`); `closed`: only the first account, then invitations */
  signup: 'open' | 'closed';
  signupRole: Role;
  /** failed logins one account may take per window before it answers 429 */
  accountLoginLimit: number;
}

export function createAuthService(deps: {
  db: Db;
  jwt: JwtService;
  hasher: PasswordHasher;
  authenticator: Authenticator;
  /** failed logins per account (email), shared between replicas when Redis is there */
  loginFailures: RateCounter;
  settings: AuthSettings;
}) {
  const { db, jwt, hasher, authenticator, loginFailures, settings } = deps;

  /** A new session and its JWT. */
  async function issue(row: UserRow, client: ClientInfo): Promise<TokenResponse> {
    const expiresAt = new Date(Date.now() + jwt.ttlSeconds * 1000);
    const session = await createSession(db, { userId: row.id, expiresAt, ...client });
    const token = await jwt.sign({ sub: row.id, sid: session.id, tv: row.token_version }, expiresAt);
    return { token, expiresAt: expiresAt.toISOString(), user: toUser(row) };
  }

  /** 429 while an account has had too many wrong passwords in the window (from any address). */
  async function assertNotLocked(email: string) {
    const failures = await loginFailures.peek(email);
    if (failures.count >= settings.accountLoginLimit)
      throw errors.rateLimited(
        `too many failed sign-ins for this account; try again in ${Math.ceil(failures.resetMs / 1000)} s`,
        failures.resetMs / 1000,
      );
  }

  async function mustGetUser(id: string) {
    const row = await findUserById(db, id);
    if (!row) throw errors.unauthenticated('the account of this token no longer exists');
    return row;
  }

  return {
    issue,

    async options() {
      return {
        firstUser: !(await hasUsers(db)),
        signupOpen: settings.signup === 'open',
        signupRole: settings.signupRole,
      };
    },

    /** "Sign out everywhere else": every session of the user but the one asking. */
    async endOtherSessions(principal: Principal) {
      const ended = await revokeUserSessions(db, principal.userId, principal.sessionId);
      await authenticator.revoke({ sessions: ended, reason: 'session revoked' });
      return { ended: ended.length };
    },

    async signup(input: { name: string; email: string; password: string }, client: ClientInfo) {
      hasher.assertCapacity();
      // refused before hashing: a closed server spends no CPU on sign-up attempts
      if (settings.signup === 'closed' && (await hasUsers(db)))
        throw errors.forbidden('sign-up is closed on this server: ask an admin for an invitation');
      const passwordHash = await hasher.hash(input.password);
      const row = await db.transaction(async (tx) => {
        await lockUsers(tx);
        if (settings.signup === 'closed' && (await hasUsers(tx)))
          throw errors.forbidden('sign-up is closed on this server: ask an admin for an invitation');
        return insertUser(tx, { name: input.name, email: input.email, passwordHash, role: settings.signupRole });
      });
      if (!row) throw errors.conflict(`an account with email ${input.email} already exists`);
      return issue(row, client);
    },

    async login(input: { email: string; password: string }, client: ClientInfo) {
      hasher.assertCapacity();
      await assertNotLocked(input.email);
      const row = await findUserByEmail(db, input.email);
      const ok = await hasher.verify(row?.password_hash ?? (await hasher.dummyHash()), input.password);
      if (!row || !ok) {
        await loginFailures.hit(input.email);
        throw errors.badCredentials();
      }
      await loginFailures.reset(input.email);
      if (row.disabled_at) throw errors.forbidden('this account is disabled; ask an admin');
      return { row, session: await issue(row, client) };
    },

    async logout(principal: Principal) {
      if (principal.sessionId) await revokeSession(db, principal.sessionId, principal.userId);
      await authenticator.revoke({ sessions: principal.sessionId ? [principal.sessionId] : [], reason: 'signed out' });
    },

    async me(principal: Principal) {
      return toUser(await mustGetUser(principal.userId));
    },

    async rename(principal: Principal, name: string) {
      const row = await db.transaction((tx) => updateUser(tx, principal.userId, { name }));
      if (!row) throw errors.unauthenticated('the account of this token no longer exists');
      return toUser(row);
    },

    /** Needs the current password; ends every session of the user and answers a new one. */
    async changePassword(
      principal: Principal,
      input: { currentPassword: string; newPassword: string },
      client: ClientInfo,
    ) {
      const row = await mustGetUser(principal.userId);
      // a stolen session must not become a way to guess the password: same per-account limit as login
      await assertNotLocked(row.email);
      if (!(await hasher.verify(row.password_hash, input.currentPassword))) {
        await loginFailures.hit(row.email);
        throw errors.validation('body.currentPassword: is not your current password', [
          { path: 'body.currentPassword', message: 'is not your current password' },
        ]);
      }
      const passwordHash = await hasher.hash(input.newPassword);
      const updated = await db.transaction(async (tx) => {
        await revokeUserSessions(tx, row.id);
        return updateUser(tx, row.id, { passwordHash });
      });
      if (!updated) throw errors.unauthenticated('the account of this token no longer exists');
      await authenticator.revoke({ users: [row.id], reason: 'password changed' });
      return issue(updated, client);
    },

    /** NOP_ADMIN_EMAIL/NOP_ADMIN_PASSWORD: make sure that admin exists (never changes an existing password). */
    async ensureAdmin(email: string, password: string): Promise<boolean> {
      if (await findUserByEmail(db, email.toLowerCase())) return false;
      const passwordHash = await hasher.hash(password);
      const row = await db.transaction((tx) =>
        insertUser(tx, { name: 'Administrator', email: email.toLowerCase(), passwordHash, role: 'admin' }),
      );
      return !!row;
    },
  };
}
