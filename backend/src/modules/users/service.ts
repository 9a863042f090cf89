import type { Invitation, Role } from '@nop/protocol';
import type { Db, Queryable } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { hashOpaqueToken, newOpaqueToken } from '../../lib/opaque-tokens.ts';
import type { Authenticator, Principal } from '../auth/authenticator.ts';
import type { PasswordHasher } from '../auth/passwords.ts';
import type { ClientInfo } from '../auth/service.ts';
import { revokeUserSessions } from '../auth/sessions-repo.ts';
import * as invitations from './invitations-repo.ts';
import {
  countActiveAdmins,
  deleteUser,
  findUserByEmail,
  findUserById,
  insertUser,
  lockUsers,
  updateUser,
  type UserRow,
} from './repo.ts';

export type UserService = ReturnType<typeof createUserService>;

const INVITATION_PREFIX = 'nop_inv_';

/**
 * Users as admins manage them: create, invite, change role, disable, delete. Any change that takes
 * rights away ends the user's sessions on every replica; the last active admin cannot be removed.
 */
export function createUserService(deps: {
  db: Db;
  hasher: PasswordHasher;
  authenticator: Authenticator;
  /** makes the session an accepted invitation signs in with */
  issue: (row: UserRow, client: ClientInfo) => Promise<import('@nop/protocol').TokenResponse>;
}) {
  const { db, hasher, authenticator } = deps;

  async function mustGet(tx: Queryable, id: string) {
    const row = await findUserById(tx, id);
    if (!row) throw errors.notFound(`no user with id ${id.slice(0, 100)}`);
    return row;
  }

  /** Would this change leave no admin who can sign in? */
  async function assertAdminRemains(tx: Queryable, row: UserRow, losesAdmin: boolean) {
    if (!losesAdmin || row.role !== 'admin' || row.disabled_at) return;
    if ((await countActiveAdmins(tx)) <= 1)
      throw errors.conflict('this is the last active admin: make another user admin first');
  }

  async function findPendingInvitation(tx: Queryable, token: string, lock = false) {
    const row = await invitations.findInvitationByHash(tx, hashOpaqueToken(token), lock);
    if (!row) throw errors.notFound('no such invitation: check the link');
    const status = invitations.statusOf(row);
    if (status !== 'pending') throw errors.gone(`this invitation is ${status}: ask an admin for a new one`);
    return row;
  }

  return {
    get: (id: string) => mustGet(db, id),

    async create(input: { name: string; email: string; password: string; role: Role }) {
      const passwordHash = await hasher.hash(input.password);
      const row = await db.transaction((tx) => insertUser(tx, { ...input, passwordHash }));
      if (!row) throw errors.conflict(`an account with email ${input.email} already exists`);
      return row;
    },

    async update(id: string, change: { name?: string; role?: Role; disabled?: boolean }) {
      const { row, rightsChanged } = await db.transaction(async (tx) => {
        await lockUsers(tx);
        const current = await mustGet(tx, id);
        const losesAdmin = (change.role !== undefined && change.role !== 'admin') || change.disabled === true;
        await assertAdminRemains(tx, current, losesAdmin);
        const row = (await updateUser(tx, id, change))!;
        // a new role or a disabled account: the token version grew, every session ends
        const rightsChanged = row.token_version !== current.token_version;
        if (rightsChanged) await revokeUserSessions(tx, id);
        return { row, rightsChanged };
      });
      // `users` reaches every credential of the user, on every replica
      if (rightsChanged)
        await authenticator.revoke({ users: [id], reason: change.disabled ? 'account disabled' : 'role changed' });
      return row;
    },

    async remove(actor: Principal, id: string) {
      if (id === actor.userId) throw errors.conflict('you cannot delete your own account: ask another admin');
      const row = await db.transaction(async (tx) => {
        await lockUsers(tx);
        const current = await mustGet(tx, id);
        await assertAdminRemains(tx, current, true);
        await deleteUser(tx, id);
        return current;
      });
      await authenticator.revoke({ users: [id], reason: 'account deleted' });
      return row;
    },

    /** Signs a user out everywhere (their API tokens keep working: revoke those, or disable the user). */
    async endSessions(id: string) {
      const row = await mustGet(db, id);
      const ended = await revokeUserSessions(db, id);
      await authenticator.revoke({ sessions: ended, reason: 'session revoked' });
      return { row, ended: ended.length };
    },

    async invite(actor: Principal, input: { email: string; role: Role; expiresInHours: number }) {
      if (await findUserByEmail(db, input.email))
        throw errors.conflict(`an account with email ${input.email} already exists`);
      const token = newOpaqueToken(INVITATION_PREFIX);
      const row = await invitations.insertInvitation(db, {
        email: input.email,
        role: input.role,
        hash: hashOpaqueToken(token),
        createdBy: actor.userId,
        expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
      });
      return { row, token };
    },

    listInvitations: (limit: number, after?: [string, string], status?: Invitation['status']) =>
      invitations.listInvitations(db, limit, after, status),

    async revokeInvitation(id: string) {
      if (!isUuid(id) || !(await invitations.revokeInvitation(db, id)))
        throw errors.notFound(`no pending invitation with id ${id.slice(0, 100)}`);
    },

    /** What the invitation page shows before the invitee picks a name and password. */
    inspectInvitation: (token: string) => findPendingInvitation(db, token),

    /** One use only: the row is locked while the account is made, so two tabs cannot both use it. */
    async acceptInvitation(input: { token: string; name: string; password: string }, client: ClientInfo) {
      await findPendingInvitation(db, input.token); // fail fast, before spending a hash
      const passwordHash = await hasher.hash(input.password);
      const { user, invitation } = await db.transaction(async (tx) => {
        const invitation = await findPendingInvitation(tx, input.token, true);
        const user = await insertUser(tx, {
          name: input.name,
          email: invitation.email,
          passwordHash,
          role: invitation.role,
        });
        if (!user) throw errors.conflict(`an account with email ${invitation.email} already exists`);
        await invitations.markAccepted(tx, invitation.id, user.id);
        return { user, invitation };
      });
      return { invitation, session: await deps.issue(user, client) };
    },
  };
}
