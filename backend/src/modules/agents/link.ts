import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AGENT_LINK_PATH, AgentToBackend, type BackendToAgent, type CheckType } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { errors } from '../../http/errors.ts';
import { isDependencyDown } from '../../http/dependency-errors.ts';
import type { Ingest } from '../results/ingest.ts';
import { screenResults } from '../results/screen.ts';
import * as repo from './repo.ts';
import type { AgentCommandEnvelope, AgentService } from './service.ts';
import { scrubText } from '../../lib/scrub-text.ts';
import { hashAgentToken } from './tokens.ts';

const REGISTER_TIMEOUT_MS = 10_000;
const HEARTBEAT_MS = 15_000;
/** How long a link's hold on its agent's status lasts without renewal (renewed every third of it). */
export const DEFAULT_LEASE_MS = 15_000;
/** A batch that failed on a dependency outage is asked again after this; the agent adds backoff. */
const RETRY_AFTER_OUTAGE_MS = 2_000;
/** A batch that failed otherwise (a bug, bad data): asked again much later, so it cannot spin. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** Clock skew is stored when it moved by more than this, and warned about beyond CLOCK_SKEW_WARN_MS. */
const CLOCK_SKEW_STEP_MS = 500;
const CLOCK_SKEW_WARN_MS = 2_000;

interface Link {
  id: string;
  agentId: string;
  managed: boolean;
  socket: WebSocket;
  /** the state the agent last reported, kept for the lease renewal */
  state: 'online' | 'stopped';
  /** every check sent to the agent on this link, with its type: results of others are refused */
  checks: Map<string, CheckType>;
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
  opts: {
    db: Db;
    bus: Bus;
    agents: AgentService;
    ingest: Ingest;
    onLinkCount?: (n: number) => void;
    /** tests shorten it */
    leaseMs?: number;
    /** results older than this are refused (the raw retention: they would be deleted at once) */
    maxResultAgeMs?: number;
  },
) {
  const { db, bus, agents, ingest } = opts;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const links = new Map<string, Link>();
  const countChanged = () => opts.onLinkCount?.(links.size);

  // the message only: never the config, which holds the check's secrets in clear here
  const logConfigFailure = (agentId: string, error: unknown) =>
    app.log.error({ agentId, reason: (error as Error).message }, 'sending the config to an agent failed');

  /** The config in clear, on this agent's link only; checks no longer valid are named in the log. */
  const sendConfigOf = (link: Link, row: repo.AgentRow) => {
    const { config, skipped } = agents.configFor(row);
    if (skipped.length)
      app.log.warn(
        { agentId: row.id, checks: skipped.slice(0, 20) },
        'stored checks that are no longer valid were not sent',
      );
    // results of a check removed since still arrive for a while (and from the spool): kept known
    for (const check of config.checks) link.checks.set(check.id, check.type);
    send(link.socket, { type: 'config', config });
  };

  const sendConfig = async (link: Link) => {
    const row = await repo.getAgent(db, link.agentId);
    if (row && link.socket.readyState === link.socket.OPEN) sendConfigOf(link, row);
  };

  // Leases: this replica renews its links' hold on their agents' status; any replica turns the
  // agents of a replica that stopped renewing (killed, or cut off from the database) offline.
  // After this replica could not reach the database, it sweeps nobody for one lease: the others
  // were most likely cut off too, and need a turn to renew before their leases count as lapsed.
  let renewedLastTick = true;
  let sweepPausedUntil = 0;
  const leaseTimer = setInterval(() => {
    const held = [...links.values()].map((l) => ({ agentId: l.agentId, linkId: l.id, status: l.state }));
    repo
      .renewLeases(db, held, leaseMs)
      .then(async (reclaimed) => {
        if (!renewedLastTick) sweepPausedUntil = Date.now() + leaseMs;
        renewedLastTick = true;
        await Promise.all(reclaimed.map((row) => agents.publishStatus(row)));
        if (Date.now() < sweepPausedUntil) return;
        const expired = await repo.sweepExpiredLeases(db);
        if (expired.length) app.log.warn({ agents: expired.map((r) => r.name).slice(0, 20) }, 'agent leases expired');
        await Promise.all(expired.map((row) => agents.publishStatus(row)));
      })
      .catch((err: Error) => {
        renewedLastTick = false;
        app.log.warn({ reason: err.message }, 'renewing agent leases failed');
      });
  }, leaseMs / 3);
  leaseTimer.unref();

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
    clearInterval(leaseTimer);
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
      const link: Link = {
        id: randomUUID(),
        agentId: agent.id,
        managed: agent.managed,
        socket,
        state: 'online',
        checks: new Map(),
      };
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
        const receivedAt = Date.now(); // not when its turn comes: a backlog would read as clock skew
        queue = queue
          .then(() => handle(String(data), receivedAt))
          .catch((err) => log.error({ err }, 'agent message failed'));
      });

      async function handle(raw: string, receivedAt: number) {
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
          let row: repo.AgentRow | undefined;
          try {
            row = await repo.markLinked(db, agent.id, link.id, leaseMs);
          } catch (error) {
            // without its config the link cannot tell the agent's results from others': the agent
            // comes back (here or at another replica) once the database answers again
            log.warn({ reason: (error as Error).message }, 'agent link refused: database unavailable');
            return socket.close(1011, 'backend unavailable, try again');
          }
          if (!row) return socket.close(1008, 'agent deleted');
          link.state = row.status === 'stopped' ? 'stopped' : 'online';
          log.info({ hostname: message.hostname, version: message.agentVersion }, 'agent linked');
          sendConfigOf(link, row);
          send(socket, { type: 'command', command: row.desired_state === 'running' ? 'start' : 'stop' });
          await agents.publishStatus(row);
          return;
        }
        if (!registered) return socket.close(1008, 'register expected');
        if (message.type === 'results') return storeBatch(message, receivedAt);
        const status = message.state === 'running' ? 'online' : 'stopped';
        link.state = status;
        await agents.publishStatus(await repo.setLinkStatus(db, agent.id, link.id, status));
      }

      /** Acked once committed; refused results named; a batch that cannot be committed is nacked. */
      async function storeBatch(message: Extract<AgentToBackend, { type: 'results' }>, receivedAt: number) {
        const { accepted, rejected } = screenResults(
          message.results,
          (id) => link.checks.get(id),
          receivedAt,
          opts.maxResultAgeMs,
        );
        if (rejected.length)
          log.warn({ rejected: rejected.length, first: rejected[0]!.reason }, 'refused results from an agent');
        let inserted = 0;
        try {
          if (accepted.length) inserted = await ingest({ id: agent.id, name: agent.name }, scrubText(accepted));
        } catch (error) {
          const outage = isDependencyDown(error);
          const reason = outage ? 'the database is unavailable' : 'the batch could not be stored';
          if (outage) log.warn({ reason: (error as Error).message }, 'batch not stored: database unavailable');
          else log.error({ err: { message: (error as Error).message } }, 'batch not stored');
          const retryAfterMs = outage ? RETRY_AFTER_OUTAGE_MS : RETRY_AFTER_FAILURE_MS;
          return send(socket, { type: 'nack', batchId: message.batchId, retryAfterMs, reason });
        }
        const duplicates = accepted.length - inserted;
        send(socket, {
          type: 'ack',
          batchId: message.batchId,
          inserted,
          ...(duplicates ? { duplicates } : {}),
          ...(rejected.length ? { rejected } : {}),
        });
        if (message.sentAt)
          await noteClockSkew(Date.parse(message.sentAt) - receivedAt).catch((err: Error) =>
            log.debug({ reason: err.message }, 'recording clock skew failed'),
          );
      }

      let skewWarned = false;
      async function noteClockSkew(skewMs: number) {
        const rounded = Math.round(skewMs);
        if (Math.abs(rounded) > CLOCK_SKEW_WARN_MS && !skewWarned) {
          skewWarned = true;
          log.warn({ skewMs: rounded }, "the agent's clock differs from the backend's");
        }
        await repo.recordClockSkew(db, agent.id, rounded, CLOCK_SKEW_STEP_MS);
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
