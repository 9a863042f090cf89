import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { STREAM_TOKEN_PREFIX } from '@nop/protocol';
import type { Authenticator, Principal } from '../modules/auth/authenticator.ts';
import { InvalidTokenError } from '../modules/auth/jwt.ts';
import { errors } from './errors.ts';
import { policyFor, type RoutePolicy } from './policy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** who is asking, on every route that needs a user */
    principal?: Principal;
    policy?: RoutePolicy;
  }
}

/** The bearer credential from `Authorization`, or for browser WebSockets the `nop.jwt.<token>` subprotocol. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    const entry = protocols
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(STREAM_TOKEN_PREFIX));
    if (entry) return entry.slice(STREAM_TOKEN_PREFIX.length);
  }
  return undefined;
}

/**
 * Every request is looked up in the policy table (policy.ts). No entry: refused, whoever asks.
 * Public routes pass; the agent link checks its own token; every other route needs a valid session
 * JWT or API token whose (current) role the entry lists: 401 without one, 403 with the wrong one.
 * Unknown paths fall through to the 404 handler.
 */
export const authGuard = fp<{ authenticator: Authenticator }>(async (app: FastifyInstance, { authenticator }) => {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('policy', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const policy = policyFor(request.method, request.routeOptions.url);
    if (!policy) throw errors.forbidden(`no access policy covers ${request.method} ${request.routeOptions.url}`);
    request.policy = policy;
    if (policy.access !== 'roles') return;

    const token = bearerToken(request);
    if (!token) throw errors.unauthenticated();
    try {
      request.principal = await authenticator.authenticate(token, request.ip);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw errors.unauthenticated(error.message);
      throw error;
    }
    const { role, kind } = request.principal;
    if (!policy.roles.includes(role))
      throw errors.forbidden(`needs the role ${policy.roles.join(' or ')}; this ${kindWord(kind)} has ${role}`);
    if (policy.session && kind === 'token')
      throw errors.forbidden('API tokens cannot do this: sign in to the dashboard (or use a session token)');
  });
});

const kindWord = (kind: Principal['kind']) => (kind === 'token' ? 'API token' : 'account');
