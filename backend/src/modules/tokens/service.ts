import { roleAtLeast, type Role } from '@nop/protocol';
import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { hashOpaqueToken, newOpaqueToken } from '../../lib/opaque-tokens.ts';
import type { RateCounter } from '../../lib/rate-counter.ts';
import { API_TOKEN_PREFIX, type Authenticator, type Principal } from '../auth/authenticator.ts';
import * as repo from './repo.ts';

export type ApiTokenService = ReturnType<typeof createApiTokenService>;

/** Live tokens one user may hold. */
export const MAX_TOKENS_PER_USER = 50;
/** Tokens one user may create per hour (a leaked session cannot mint them by the thousand). */
export const TOKENS_PER_HOUR = 20;

/**
 * Personal API tokens: shown once at creation, stored as SHA-256, acting with a role no higher than
 * their owner's (and never higher than the owner's current role), until they expire or are revoked.
 */
export function createApiTokenService(deps: { db: Db; authenticator: Authenticator; creations: RateCounter }) {
  const { db, authenticator } = deps;
  return {
    async create(principal: Principal, input: { name: string; role?: Role; expiresInDays: number }) {
      const role = input.role ?? principal.role;
      if (!roleAtLeast(principal.role, role))
        throw errors.forbidden(`a token cannot do more than its owner: your role is ${principal.role}, not ${role}`);
      const recent = await deps.creations.hit(principal.userId);
      if (recent.count > TOKENS_PER_HOUR)
        throw errors.rateLimited(
          `at most ${TOKENS_PER_HOUR} API tokens an hour; try again in ${Math.ceil(recent.resetMs / 1000)} s`,
          recent.resetMs / 1000,
        );
      if ((await repo.countLiveApiTokens(db, principal.userId)) >= MAX_TOKENS_PER_USER)
        throw errors.quotaExceeded(
          `you hold ${MAX_TOKENS_PER_USER} live API tokens, the most allowed: revoke some first`,
        );
      const token = newOpaqueToken(API_TOKEN_PREFIX);
      const row = await repo.insertApiToken(db, {
        userId: principal.userId,
        name: input.name,
        role,
        hash: hashOpaqueToken(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 4),
        expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
      });
      return { row, token };
    },

    list: (principal: Principal, limit: number, after?: [string, string]) =>
      repo.listApiTokens(db, principal.userId, limit, after),

    async revoke(principal: Principal, id: string) {
      const row = isUuid(id) ? await repo.revokeApiToken(db, id, principal.userId) : undefined;
      if (!row) throw errors.notFound(`you have no API token with id ${id.slice(0, 100)}`);
      await authenticator.revoke({ tokens: [id], reason: 'token revoked' });
      return row;
    },
  };
}
