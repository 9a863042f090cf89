import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { STREAM_TOKEN_PREFIX } from '@nop/protocol';
import { InvalidTokenError, type Claims, type JwtService } from '../modules/auth/jwt.ts';
import { errors } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** who may call the route: users with a JWT (default), anyone, or agents with their token */
    auth?: 'user' | 'public' | 'agent';
  }
  interface FastifyRequest {
    user?: Claims & { exp: number };
  }
}

/** The JWT from `Authorization: Bearer`, or for browser WebSockets from the `nop.jwt.<token>` subprotocol. */
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
 * Deny by default: every route needs a valid user JWT unless it says `config: { auth: 'public' }`
 * (signup, login, health) or `'agent'` (the agent link checks its own token).
 */
export const authGuard = fp<{ jwt: JwtService }>(async (app: FastifyInstance, { jwt }) => {
  app.decorateRequest('user', undefined);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config?.auth ?? 'user';
    if (mode !== 'user') return;
    const token = bearerToken(request);
    if (!token) throw errors.unauthenticated();
    try {
      request.user = await jwt.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw errors.unauthenticated(error.message);
      throw error;
    }
  });
});

export function requireAdmin(request: FastifyRequest) {
  if (request.user?.role !== 'admin') throw errors.forbidden('only an admin may do this');
}
