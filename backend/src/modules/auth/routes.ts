import type { FastifyInstance } from 'fastify';
import { LoginBody, SignupBody } from '@nop/protocol';
import { errors, parseOr400 } from '../../http/errors.ts';
import type { Db } from '../../db/db.ts';
import type { AuthService } from './service.ts';
import { findUserById, toUser } from './repo.ts';

export async function authRoutes(app: FastifyInstance, opts: { auth: AuthService; db: Db; rateLimit: number }) {
  // Per client address: slows password guessing and signup floods.
  const limited = { auth: 'public' as const, rateLimit: { max: opts.rateLimit, timeWindow: '1 minute' } };

  app.post('/api/v1/auth/signup', { config: limited }, async (request, reply) => {
    const body = parseOr400(SignupBody, request.body, 'body');
    reply.status(201);
    return opts.auth.signup(body);
  });

  app.post('/api/v1/auth/login', { config: limited }, async (request) => {
    const body = parseOr400(LoginBody, request.body, 'body');
    return opts.auth.login(body);
  });

  app.get('/api/v1/auth/me', async (request) => {
    const row = await findUserById(opts.db, request.user!.sub);
    if (!row) throw errors.unauthenticated('the account of this token no longer exists');
    return toUser(row);
  });
}
