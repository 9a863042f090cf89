import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AcceptInvitationBody,
  CreateUserBody,
  InvitationBody,
  InvitationStatus,
  InvitationTokenBody,
  PatchUserBody,
} from '@nop/protocol';
import { z } from 'zod';
import { parseOr400 } from '../../http/errors.ts';
import { publicBaseUrl } from '../../http/public-url.ts';
import { decodeCursor, PageQuery, pageParams, TextCursor, TimeIdCursor, toPage } from '../../http/paging.ts';
import { clientOf } from '../auth/routes.ts';
import { toInvitation } from './invitations-repo.ts';
import { listUsers, toUser } from './repo.ts';
import type { UserService } from './service.ts';
import type { Db } from '../../db/db.ts';

const InvitationQuery = z.strictObject({ status: InvitationStatus.optional(), ...pageParams });
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** Admins manage users and invitations; invitees look at and accept theirs without an account. */
export async function userRoutes(
  app: FastifyInstance,
  opts: { users: UserService; db: Db; publicUrl?: string; rateLimit: number },
) {
  const { users } = opts;
  const limited = { rateLimit: { max: opts.rateLimit, timeWindow: '1 minute' } };

  app.get('/api/v1/users', async (request) => {
    const q = parseOr400(PageQuery, request.query, 'query');
    const after = decodeCursor(q.cursor, TextCursor);
    return toPage(await listUsers(opts.db, q.limit, after?.[0]), q.limit, (row) => [row.email], toUser);
  });

  app.post('/api/v1/users', async (request, reply) => {
    const body = parseOr400(CreateUserBody, request.body, 'body');
    const row = await users.create(body);
    request.audit.target = { id: row.id, name: row.email };
    request.audit.details = { role: row.role };
    reply.status(201).header('location', `/api/v1/users/${row.id}`);
    return toUser(row);
  });

  app.get('/api/v1/users/:id', async (request) => toUser(await users.get(idOf(request))));

  app.patch('/api/v1/users/:id', async (request) => {
    const body = parseOr400(PatchUserBody, request.body, 'body');
    const row = await users.update(idOf(request), body);
    request.audit.target = { name: row.email };
    request.audit.details = body;
    return toUser(row);
  });

  app.delete('/api/v1/users/:id', async (request, reply) => {
    const row = await users.remove(request.principal!, idOf(request));
    request.audit.target = { name: row.email };
    return reply.status(204).send();
  });

  app.delete('/api/v1/users/:id/sessions', async (request) => {
    const { row, ended } = await users.endSessions(idOf(request));
    request.audit.target = { name: row.email };
    request.audit.details = { ended };
    return { ended };
  });

  app.get('/api/v1/invitations', async (request) => {
    const q = parseOr400(InvitationQuery, request.query, 'query');
    const after = decodeCursor(q.cursor, TimeIdCursor);
    const rows = await users.listInvitations(q.limit, after, q.status);
    return toPage(rows, q.limit, (row) => [row.sort_key, row.id], toInvitation);
  });

  app.post('/api/v1/invitations', async (request, reply) => {
    const body = parseOr400(InvitationBody, request.body, 'body');
    const { row, token } = await users.invite(request.principal!, body);
    request.audit.target = { id: row.id, name: row.email };
    request.audit.details = { role: row.role, expiresAt: new Date(row.expires_at).toISOString() };
    reply.status(201);
    // the token rides in the fragment: browsers never send it to a server or write it to access logs
    return { invitation: toInvitation(row), token, url: `${publicBaseUrl(request, opts.publicUrl)}/invite#${token}` };
  });

  app.delete('/api/v1/invitations/:id', async (request, reply) => {
    await users.revokeInvitation(idOf(request));
    return reply.status(204).send();
  });

  app.post('/api/v1/auth/invitation', { config: limited }, async (request) => {
    const body = parseOr400(InvitationTokenBody, request.body, 'body');
    const row = await users.inspectInvitation(body.token);
    return { email: row.email, role: row.role, expiresAt: new Date(row.expires_at).toISOString() };
  });

  app.post('/api/v1/auth/invitation/accept', { config: limited }, async (request, reply) => {
    const body = parseOr400(AcceptInvitationBody, request.body, 'body');
    const { invitation, session } = await users.acceptInvitation(body, clientOf(request));
    request.audit.actor = { id: session.user.id, name: session.user.name };
    request.audit.target = { id: invitation.id, name: invitation.email };
    request.audit.details = { role: invitation.role, user: session.user.id };
    reply.status(201);
    return session;
  });
}
