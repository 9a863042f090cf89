import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AgentActionBody, CreateAgentBody, PatchAgentBody } from '@nop/protocol';
import { parseOr400 } from '../../http/errors.ts';
import { publicBaseUrl } from '../../http/public-url.ts';
import { decodeCursor, PageQuery, TextCursor, toPage } from '../../http/paging.ts';
import { toAgent } from './repo.ts';
import type { AgentService } from './service.ts';

export async function agentRoutes(app: FastifyInstance, opts: { agents: AgentService; publicUrl?: string }) {
  const { agents } = opts;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/api/v1/agents', async (request) => {
    const q = parseOr400(PageQuery, request.query, 'query');
    const after = decodeCursor(q.cursor, TextCursor);
    return toPage(await agents.list(q.limit, after?.[0]), q.limit, (row) => [row.name], toAgent);
  });

  app.post('/api/v1/agents', async (request, reply) => {
    const body = parseOr400(CreateAgentBody, request.body, 'body');
    const { row, token } = await agents.create(request.principal!, {
      name: body.name,
      type: body.type,
      checks: body.config.checks,
      labels: body.labels,
      location: body.location,
    });
    request.audit.target = { id: row.id, name: row.name };
    request.audit.details = { type: row.type, checks: body.config.checks.length };
    const url = publicBaseUrl(request, opts.publicUrl);
    reply.status(201).header('location', `/api/v1/agents/${row.id}`);
    return {
      agent: toAgent(row),
      token,
      command: `NOP_BACKEND_URL=${url} NOP_AGENT_TOKEN=${token} npx nop-agent`,
    };
  });

  app.get('/api/v1/agents/:id', async (request) => toAgent(await agents.get(idOf(request))));

  app.patch('/api/v1/agents/:id', async (request) => {
    const body = parseOr400(PatchAgentBody, request.body, 'body');
    const row = await agents.update(request.principal!, idOf(request), {
      name: body.name,
      checks: body.config?.checks,
      labels: body.labels,
      location: body.location,
    });
    request.audit.target = { name: row.name };
    request.audit.details = {
      fields: Object.keys(body),
      ...(body.config ? { checks: body.config.checks.length, configVersion: row.config.version } : {}),
    };
    return toAgent(row);
  });

  app.delete('/api/v1/agents/:id', async (request, reply) => {
    const row = await agents.remove(request.principal!, idOf(request));
    request.audit.target = { name: row.name };
    return reply.status(204).send();
  });

  app.post('/api/v1/agents/:id/actions', async (request, reply) => {
    const body = parseOr400(AgentActionBody, request.body, 'body');
    const row = await agents.act(request.principal!, idOf(request), body.action);
    request.audit.target = { name: row.name };
    request.audit.details = { action: body.action };
    reply.status(202);
    return { agent: toAgent(row) };
  });
}
