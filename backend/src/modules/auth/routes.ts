import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ChangePasswordBody, LoginBody, SignupBody, UpdateMeBody, type Session } from '@nop/protocol';
import type { Db } from '../../db/db.ts';
import { isUuid } from '../../lib/ids.ts';
import { errors, parseOr400 } from '../../http/errors.ts';
import { decodeCursor, PageQuery, TimeIdCursor, toPage } from '../../http/paging.ts';
import type { Authenticator } from './authenticator.ts';
import type { PasswordHasher } from './passwords.ts';
import type { AuthService, ClientInfo } from './service.ts';
import { listSessions, revokeSession, type SessionRow } from './sessions-repo.ts';

export const clientOf = (request: FastifyRequest): ClientInfo => ({
  ip: request.ip,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
});

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

const toSession = (row: SessionRow, currentId: string | undefined): Session => ({
  id: row.id,
  createdAt: new Date(row.created_at).toISOString(),
  lastUsedAt: new Date(row.last_used_at).toISOString(),
  expiresAt: new Date(row.expires_at).toISOString(),
  ip: row.ip,
  userAgent: row.user_agent,
  current: row.id === currentId,
});

/** Sign-up, sign-in and out, the signed-in user's profile, password and sessions. */
export async function authRoutes(
  app: FastifyInstance,
  opts: { auth: AuthService; authenticator: Authenticator; hasher: PasswordHasher; db: Db; rateLimit: number },
) {
  const { auth, db } = opts;
  // Per client address: slows password guessing and sign-up floods (per account: see the service).
  const limited = { rateLimit: { max: opts.rateLimit, timeWindow: '1 minute' } };

  app.get('/api/v1/auth/options', async () => auth.options());

  // A full hashing queue refuses before the body is even parsed: a login flood then costs little more
  // than any other flood of requests.
  const hashing = { config: limited, onRequest: async () => opts.hasher.assertCapacity() };

  app.post('/api/v1/auth/signup', hashing, async (request, reply) => {
    const body = parseOr400(SignupBody, request.body, 'body');
    const session = await auth.signup(body, clientOf(request));
    request.audit.actor = { id: session.user.id, name: session.user.name };
    request.audit.target = { id: session.user.id, name: session.user.email };
    request.audit.details = { role: session.user.role };
    reply.status(201);
    return session;
  });

  app.post('/api/v1/auth/login', hashing, async (request) => {
    const body = parseOr400(LoginBody, request.body, 'body');
    request.audit.target = { name: body.email.slice(0, 254) };
    const { row, session } = await auth.login(body, clientOf(request));
    request.audit.actor = { id: row.id, name: row.name };
    request.audit.target = { id: row.id, name: row.email };
    return session;
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    await auth.logout(request.principal!);
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/me', async (request) => auth.me(request.principal!));

  app.patch('/api/v1/auth/me', async (request) => {
    const body = parseOr400(UpdateMeBody, request.body, 'body');
    request.audit.target = { id: request.principal!.userId };
    request.audit.details = { fields: ['name'] };
    return auth.rename(request.principal!, body.name);
  });

  app.post('/api/v1/auth/password', hashing, async (request) => {
    const body = parseOr400(ChangePasswordBody, request.body, 'body');
    request.audit.target = { id: request.principal!.userId };
    return auth.changePassword(request.principal!, body, clientOf(request));
  });

  app.get('/api/v1/auth/sessions', async (request) => {
    const q = parseOr400(PageQuery, request.query, 'query');
    const principal = request.principal!;
    const rows = await listSessions(db, principal.userId, q.limit, decodeCursor(q.cursor, TimeIdCursor));
    return toPage(
      rows,
      q.limit,
      (row) => [row.sort_key, row.id],
      (row) => toSession(row, principal.sessionId),
    );
  });

  app.delete('/api/v1/auth/sessions', async (request) => {
    const answer = await auth.endOtherSessions(request.principal!);
    request.audit.target = { id: request.principal!.userId };
    request.audit.details = answer;
    return answer;
  });

  app.delete('/api/v1/auth/sessions/:id', async (request, reply) => {
    const id = idOf(request);
    const principal = request.principal!;
    const ended = isUuid(id) && (await revokeSession(db, id, principal.userId));
    if (!ended) throw errors.notFound(`you have no live session ${id.slice(0, 100)}`);
    await opts.authenticator.revoke({ sessions: [id], reason: 'session revoked' });
    return reply.status(204).send();
  });
}
