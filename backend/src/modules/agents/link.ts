import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AGENT_LINK_PATH, AgentToBackend, type BackendToAgent } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import type { Ingest } from '../results/ingest.ts';
import * as repo from './repo.ts';
import type { AgentCommandEnvelope, AgentService } from './service.ts';
import { scrubText } from '../../lib/scrub-text.ts';
import { hashAgentToken } from './tokens.ts';

const REGISTER_TIMEOUT_MS = 10_000;
const HEARTBEAT_MS = 15_000;

interface Link {
  id: string;
  agentId: string;
  managed: boolean;
  socket: WebSocket;
}

declare module 'fastify' {
  interface FastifyRequest {
    linkAgent?: repo.AgentRow;
  }
}

const send = (socket: WebSocket, message: BackendToAgent) => socket.send(JSON.stringify(message));

/**
 * The agents' control link: each agent dials in (outbound only, so agents behind NAT work), is
 * told its config and run state, obeys commands and streams result batches, each acked after commit.
 * Links live on one replica; commands and config changes reach it over the bus.
 */
export async function agentLink(
  app: FastifyInstance,
  opts: { db: Db; bus: Bus; agents: AgentService; ingest: Ingest; onLinkCount?: (n: number) => void },
) {
  const { db, bus, agents, ingest } = opts;
  const links = new Map<string, Link>();
  const countChanged = () => opts.onLinkCount?.(links.size);

  // the message only: never the config, which holds the check's secrets in clear here
  const logConfigFailure = (agentId: string, error: unknown) =>
    app.log.error({ agentId, reason: (error as Error).message }, 'sending the config to an agent failed');

  /** The config in clear, on this agent's link only; checks no longer valid are named in the log. */
  const sendConfigOf = (socket: WebSocket, row: repo.AgentRow) => {
    const { config, skipped } = agents.configFor(row);
    if (skipped.length)
      app.log.warn(
        { agentId: row.id, checks: skipped.slice(0, 20) },
        'stored checks that are no longer valid were not sent',
      );
    send(socket, { type: 'config', config });
  };

  const sendConfig = async (link: Link) => {
    const row = await repo.getAgent(db, link.agentId);
    if (row && link.socket.readyState === link.socket.OPEN) sendConfigOf(link.socket, row);
  };

  const unsubscribers = [
    await bus.subscribe(CHANNELS.agentConfig, (message) => {
      const link = links.get((message as { agentId: string }).agentId);
      if (link) sendConfig(link).catch((error) => logConfigFailure(link.agentId, error));
    }),
    await bus.subscribe(CHANNELS.agentCommand, (message) => {
      const { agentId, command } = message as AgentCommandEnvelope;
      const link = links.get(agentId);
      if (!link) return;
      if (command === 'revoke') return link.socket.close(1008, 'agent deleted');
      // a managed agent is started and stopped as a process by its supervisor, not over the link
      if (!link.managed) send(link.socket, { type: 'command', command });
    }),
  ];
  app.addHook('onClose', async () => {
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    for (const link of links.values()) link.socket.close(1001, 'backend shutting down');
  });

  async function authenticateAgent(request: FastifyRequest) {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw errors.unauthenticated('an agent token is required (Authorization: Bearer nop_agt_…)');
    const row = await repo.findAgentByTokenHash(db, hashAgentToken(token));
    if (!row) throw errors.unauthenticated('unknown or revoked agent token');
    request.linkAgent = row;
  }

  app.route({
    method: 'GET',
    url: AGENT_LINK_PATH,
    // a HEAD cannot be upgraded: it falls through to the 404 handler instead of an empty answer
    exposeHeadRoute: false,
    onRequest: authenticateAgent,
    handler: async () => {
      throw errors.upgradeRequired("this is the agents' WebSocket link: nop-agent connects here (Upgrade: websocket)");
    },
    wsHandler: (socket, request) => {
      const agent = request.linkAgent!;
      const link: Link = { id: randomUUID(), agentId: agent.id, managed: agent.managed, socket };
      const log = app.log.child({ agent: agent.name, link: link.id });
      links.get(agent.id)?.socket.close(4000, 'replaced by a newer connection');
      links.set(agent.id, link);
      countChanged();

      let registered = false;
      const registerTimer = setTimeout(
        () => !registered && socket.close(1008, 'register expected'),
        REGISTER_TIMEOUT_MS,
      );
      let alive = true;
      socket.on('pong', () => (alive = true));
      const heartbeat = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, HEARTBEAT_MS);

      // Messages are handled one at a time, in order, so acks follow the batches' order.
      let queue = Promise.resolve();
      socket.on('message', (data) => {
        queue = queue.then(() => handle(String(data))).catch((err) => log.error({ err }, 'agent message failed'));
      });

      async function handle(raw: string) {
        let parsed;
        try {
          parsed = AgentToBackend.safeParse(JSON.parse(raw));
        } catch {
          return send(socket, { type: 'error', message: 'malformed JSON' });
        }
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return send(socket, { type: 'error', message: `invalid message: ${issue.path.join('.')}: ${issue.message}` });
        }
        const message = parsed.data;
        if (message.type === 'register') {
          registered = true;
          clearTimeout(registerTimer);
          const row = await repo.markLinked(db, agent.id, link.id);
          if (!row) return socket.close(1008, 'agent deleted');
          log.info({ hostname: message.hostname, version: message.agentVersion }, 'agent linked');
          sendConfigOf(socket, row);
          send(socket, { type: 'command', command: row.desired_state === 'running' ? 'start' : 'stop' });
          await agents.publishStatus(row);
          return;
        }
        if (!registered) return socket.close(1008, 'register expected');
        if (message.type === 'results') {
          const inserted = await ingest({ id: agent.id, name: agent.name }, scrubText(message.results));
          send(socket, { type: 'ack', batchId: message.batchId, inserted });
          return;
        }
        const status = message.state === 'running' ? 'online' : 'stopped';
        await agents.publishStatus(await repo.setLinkStatus(db, agent.id, link.id, status));
      }

      socket.on('close', () => {
        clearTimeout(registerTimer);
        clearInterval(heartbeat);
        if (links.get(agent.id) === link) links.delete(agent.id);
        countChanged();
        queue
          .then(() => repo.markUnlinked(db, agent.id, link.id))
          .then((row) => agents.publishStatus(row))
          .catch((err) => log.warn({ err }, 'marking agent offline failed'));
        log.info('agent link closed');
      });
    },
  });
}
