import { lowerRole, type Role } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { hashOpaqueToken } from '../../lib/opaque-tokens.ts';
import { findApiTokenWithUser, liveApiTokenIds, touchApiToken } from '../tokens/repo.ts';
import { InvalidTokenError, type JwtService } from './jwt.ts';
import { findSessionWithUser, liveSessionVersions, touchSession } from './sessions-repo.ts';

export const API_TOKEN_PREFIX = 'nop_pat_';

/** Who is asking: a user through a session (JWT) or through one of their API tokens. */
export interface Principal {
  kind: 'session' | 'token';
  userId: string;
  name: string;
  email: string;
  /** what this credential may do: the user's role, lowered to the token's for an API token */
  role: Role;
  sessionId?: string;
  /** sessions: the user's token version the JWT carries (a password or role change bumps it) */
  tokenVersion?: number;
  tokenId?: string;
  /** epoch ms when the credential stops working by itself */
  expiresAt: number;
}

/** Credentials that stopped working: published to every replica, which forgets and disconnects them. */
export interface Revocation {
  sessions?: string[];
  tokens?: string[];
  users?: string[];
  /** why, in a few words: the close reason of the streams it ends (WebSocket reasons fit 123 bytes) */
  reason?: RevocationReason;
}

export type RevocationReason =
  | 'signed out'
  | 'session revoked'
  | 'password changed'
  | 'role changed'
  | 'account disabled'
  | 'account deleted'
  | 'token revoked';

export const revokes = (r: Revocation, p: Principal) =>
  (p.sessionId !== undefined && !!r.sessions?.includes(p.sessionId)) ||
  (p.tokenId !== undefined && !!r.tokens?.includes(p.tokenId)) ||
  !!r.users?.includes(p.userId);

/** How long a replica trusts what it read about a credential. Revocations reach it sooner over the
 * bus; this bounds the damage if the bus is down. */
const CACHE_MS = 1000;
const CACHE_MAX = 10_000;

interface Cached {
  principal: Principal;
  /** the user's token version when read; a JWT with another is stale */
  tokenVersion: number;
  at: number;
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

const staleVersion = () => new InvalidTokenError('session ended (your password or role changed): sign in again');

/**
 * Turns a bearer credential into a Principal, or throws InvalidTokenError saying why not. Every
 * answer is checked against the database (session not revoked or expired, user present and enabled,
 * token version current), with a one-second cache, so revocation is never older than a second on
 * any replica, and usually a few milliseconds (the bus).
 */
export function createAuthenticator(opts: {
  db: Db;
  bus: Bus;
  jwt: JwtService;
  onError?: (error: Error) => void;
  now?: () => number;
}) {
  const { db, bus, jwt } = opts;
  const now = opts.now ?? Date.now;
  const onError = opts.onError ?? (() => {});
  const cache = new Map<string, Cached>();
  const listeners = new Set<(revocation: Revocation) => void>();

  const remember = (key: string, entry: Cached) => {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, entry);
  };
  const fresh = (key: string) => {
    const entry = cache.get(key);
    if (entry && now() - entry.at < CACHE_MS && entry.principal.expiresAt > now()) return entry;
    if (entry) cache.delete(key);
    return undefined;
  };

  async function viaSession(token: string): Promise<Principal> {
    const claims = await jwt.verify(token);
    const key = `s:${claims.sid}`;
    let entry = fresh(key);
    if (!entry) {
      const row = await findSessionWithUser(db, claims.sid);
      // the most telling reason first: a disabled account or changed rights also revoke the session
      if (!row) throw new InvalidTokenError('session ended: sign in again');
      if (row.disabled_at) throw new InvalidTokenError('this account is disabled; ask an admin');
      if (row.user_id === claims.sub && row.token_version !== claims.tv) throw staleVersion();
      if (row.revoked_at) throw new InvalidTokenError('session ended (signed out or revoked): sign in again');
      if (new Date(row.expires_at).getTime() <= now()) throw new InvalidTokenError('token expired');
      entry = {
        principal: {
          kind: 'session',
          userId: row.user_id,
          name: row.name,
          email: row.email,
          role: row.role,
          sessionId: row.id,
          tokenVersion: row.token_version,
          expiresAt: new Date(row.expires_at).getTime(),
        },
        tokenVersion: row.token_version,
        at: now(),
      };
      remember(key, entry);
      if (now() - new Date(row.last_used_at).getTime() > 60_000)
        touchSession(db, row.id).catch((error) => onError(error as Error));
    }
    if (entry.principal.userId !== claims.sub || entry.tokenVersion !== claims.tv) throw staleVersion();
    return entry.principal;
  }

  async function viaApiToken(token: string, ip?: string): Promise<Principal> {
    const hash = hashOpaqueToken(token);
    const key = `t:${hash}`;
    let entry = fresh(key);
    if (!entry) {
      const row = await findApiTokenWithUser(db, hash);
      if (!row || row.revoked_at) throw new InvalidTokenError('unknown or revoked API token');
      if (new Date(row.expires_at).getTime() <= now()) throw new InvalidTokenError('API token expired');
      if (row.disabled_at) throw new InvalidTokenError('the account of this API token is disabled');
      entry = {
        principal: {
          kind: 'token',
          userId: row.user_id,
          name: row.user_name,
          email: row.email,
          role: lowerRole(row.role, row.user_role),
          tokenId: row.id,
          expiresAt: new Date(row.expires_at).getTime(),
        },
        tokenVersion: 0,
        at: now(),
      };
      remember(key, entry);
      if (!row.last_used_at || now() - new Date(row.last_used_at).getTime() > 60_000)
        touchApiToken(db, row.id, ip).catch((error) => onError(error as Error));
    }
    return entry.principal;
  }

  /** Forgets the revoked credentials here and tells whoever holds connections for them. */
  const applyRevocation = (revocation: Revocation) => {
    for (const [key, entry] of cache) if (revokes(revocation, entry.principal)) cache.delete(key);
    for (const listener of listeners) listener(revocation);
  };

  return {
    authenticate(token: string, ip?: string): Promise<Principal> {
      return token.startsWith(API_TOKEN_PREFIX) ? viaApiToken(token, ip) : viaSession(token);
    },

    /**
     * Which of these principals still hold, in two queries whatever their number (one for sessions,
     * one for API tokens): open streams re-check this way in case a revocation missed the bus.
     */
    async stillValid(principals: Principal[]): Promise<Set<Principal>> {
      const sessionIds = principals.flatMap((p) => (p.sessionId ? [p.sessionId] : []));
      const tokenIds = principals.flatMap((p) => (p.tokenId ? [p.tokenId] : []));
      const [versions, tokens] = await Promise.all([
        sessionIds.length ? liveSessionVersions(db, sessionIds) : new Map<string, number>(),
        tokenIds.length ? liveApiTokenIds(db, tokenIds) : new Set<string>(),
      ]);
      const holds = (p: Principal) =>
        p.expiresAt > now() &&
        (p.sessionId ? versions.get(p.sessionId) === p.tokenVersion : !!p.tokenId && tokens.has(p.tokenId));
      return new Set(principals.filter(holds));
    },

    /** Call after the database change is committed: this replica at once, the others over the bus. */
    async revoke(revocation: Revocation) {
      applyRevocation(revocation);
      await bus.publish(CHANNELS.authRevoked, revocation).catch((error) => onError(error as Error));
    },

    onRevoke(listener: (revocation: Revocation) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    async start() {
      return bus.subscribe(CHANNELS.authRevoked, (message) => applyRevocation(message as Revocation));
    },
  };
}
