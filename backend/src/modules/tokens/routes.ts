import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiTokenBody } from '@nop/protocol';
import { parseOr400 } from '../../http/errors.ts';
import { decodeCursor, PageQuery, TimeIdCursor, toPage } from '../../http/paging.ts';
import { toApiToken } from './repo.ts';
import type { ApiTokenService } from './service.ts';

/** Each user's own API tokens (session only: a token cannot mint or revoke tokens). */
export async function apiTokenRoutes(app: FastifyInstance, opts: { tokens: ApiTokenService; rateLimit: number }) {
  const { tokens } = opts;

  app.get('/api/v1/api-tokens', async (request) => {
    const q = parseOr400(PageQuery, request.query, 'query');
    const after = decodeCursor(q.cursor, TimeIdCursor);
    const rows = await tokens.list(request.principal!, q.limit, after);
    return toPage(rows, q.limit, (row) => [row.sort_key, row.id], toApiToken);
  });

  app.post(
    '/api/v1/api-tokens',
    { config: { rateLimit: { max: opts.rateLimit, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = parseOr400(ApiTokenBody, request.body, 'body');
      const { row, token } = await tokens.create(request.principal!, body);
      request.audit.target = { id: row.id, name: row.name };
      request.audit.details = { role: row.role, expiresAt: new Date(row.expires_at).toISOString() };
      reply.status(201);
      return { apiToken: toApiToken(row), token };
    },
  );

  app.delete('/api/v1/api-tokens/:id', async (request: FastifyRequest, reply) => {
    const row = await tokens.revoke(request.principal!, (request.params as { id: string }).id);
    request.audit.target = { name: row.name };
    return reply.status(204).send();
  });
}
