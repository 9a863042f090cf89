import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CheckActionBody, CheckType, CloneCheckBody, Selector } from '@nop/protocol';
import { z } from 'zod';
import { parseOr400 } from '../../http/errors.ts';
import { decodeCursor, pageParams, TextCursor, toPage } from '../../http/paging.ts';
import { toCheck, type CheckService } from './service.ts';
import type { CheckRow } from './repo.ts';

export const ListQuery = z.strictObject({
  ...pageParams,
  type: CheckType.optional(),
  /** label terms the checks must carry: `label=region=eu,role=edge` */
  label: z.string().max(1024).optional(),
  agent_id: z.uuid('must be an agent id (UUID)').optional(),
  /** part of the id or target */
  q: z.string().min(1).max(200).optional(),
  enabled: z.enum(['true', 'false']).optional(),
});

export async function checkRoutes(app: FastifyInstance, opts: { checks: CheckService }) {
  const { checks } = opts;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  const answer = async (rows: CheckRow[]) => {
    const runners = await checks.runners(rows);
    return (row: CheckRow) => toCheck(row, runners.get(row.id));
  };
  const one = async (row: CheckRow) => (await answer([row]))(row);

  app.get('/api/v1/checks', async (request) => {
    const q = parseOr400(ListQuery, request.query, 'query');
    const after = decodeCursor(q.cursor, TextCursor);
    const rows = await checks.list(
      {
        type: q.type,
        labels: q.label !== undefined ? parseOr400(Selector, q.label, 'query.label') : undefined,
        agentId: q.agent_id,
        text: q.q,
        enabled: q.enabled === undefined ? undefined : q.enabled === 'true',
      },
      q.limit,
      after?.[0],
    );
    const kept = rows.slice(0, q.limit);
    return toPage(rows, q.limit, (row) => [row.id], await answer(kept));
  });

  app.post('/api/v1/checks', async (request, reply) => {
    const row = await checks.create(request.principal!, request.body);
    request.audit.target = { id: row.id, name: row.id };
    request.audit.details = { type: row.type, target: row.target };
    reply.status(201).header('location', `/api/v1/checks/${encodeURIComponent(row.id)}`);
    return one(row);
  });

  app.get('/api/v1/checks/:id', async (request) => one(await checks.get(idOf(request))));

  app.patch('/api/v1/checks/:id', async (request) => {
    const row = await checks.update(request.principal!, idOf(request), request.body);
    request.audit.target = { name: row.id };
    request.audit.details = { fields: Object.keys((request.body as object) ?? {}), version: row.version };
    return one(row);
  });

  app.delete('/api/v1/checks/:id', async (request, reply) => {
    const row = await checks.remove(request.principal!, idOf(request));
    request.audit.target = { name: row.id };
    return reply.status(204).send();
  });

  app.post('/api/v1/checks/:id/actions', async (request) => {
    const body = parseOr400(CheckActionBody, request.body, 'body');
    const row = await checks.setEnabled(request.principal!, idOf(request), body.action === 'enable');
    request.audit.target = { name: row.id };
    request.audit.details = { action: body.action };
    return one(row);
  });

  app.post('/api/v1/checks/:id/clone', async (request, reply) => {
    const body = parseOr400(CloneCheckBody, request.body ?? {}, 'body');
    const row = await checks.clone(request.principal!, idOf(request), body.id);
    request.audit.target = { id: row.id, name: row.id };
    request.audit.details = { from: idOf(request) };
    reply.status(201).header('location', `/api/v1/checks/${encodeURIComponent(row.id)}`);
    return one(row);
  });
}
