import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { STREAM_FRAME_MAX_RESULTS, type StreamedResult, type StreamMessage } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import { errors } from '../../http/errors.ts';
import { revokes, type Authenticator, type Principal } from '../auth/authenticator.ts';

/** Bytes a slow browser may have queued before we stop sending it results (it is closed, then reconnects). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Open sockets re-check their credential this often, in case a revocation missed the bus. */
const RECHECK_MS = 1000;

/**
 * GET /ws/stream: live results and agent status for signed-in users. The auth guard has already
 * checked the credential (Authorization header, or the `nop.jwt.<token>` subprotocol browsers use).
 * Each message is encoded once and the same bytes go to every client; results travel in batches. A socket closes (1008) when
 * its credential expires or is revoked: at once when the revocation arrives over the bus, within
 * RECHECK_MS otherwise.
 */
export async function streamRoutes(
  app: FastifyInstance,
  opts: { bus: Bus; authenticator: Authenticator; onClientCount?: (n: number) => void },
) {
  const clients = new Map<WebSocket, { principal: Principal }>();
  const broadcast = (message: StreamMessage) => {
    if (clients.size === 0) return;
    const frame = JSON.stringify(message);
    for (const socket of clients.keys()) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.close(1013, 'too slow; reconnect');
      else socket.send(frame);
    }
  };
  // Results are sent in frames of everything that arrived in one turn of the event loop: an agent's
  // batch of 200 is one frame, not 200, so the cost per client is per batch (framing, a syscall)
  // and not per result. setImmediate adds no delay beyond the turn itself.
  let pending: StreamedResult[] = [];
  let flushScheduled = false;
  const flushResults = () => {
    flushScheduled = false;
    const results = pending;
    pending = [];
    for (let i = 0; i < results.length; i += STREAM_FRAME_MAX_RESULTS)
      broadcast({ type: 'results', results: results.slice(i, i + STREAM_FRAME_MAX_RESULTS) });
  };
  const queueResult = (result: StreamedResult) => {
    if (clients.size === 0) return;
    pending.push(result);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushResults);
    }
  };
  const endSession = (socket: WebSocket, reason: string) => {
    clients.delete(socket);
    socket.close(1008, reason);
  };

  const stopWatchingRevocations = opts.authenticator.onRevoke((revocation) => {
    for (const [socket, client] of clients)
      if (revokes(revocation, client.principal)) endSession(socket, revocation.reason ?? 'session revoked');
  });
  // One batch for every open socket (two queries, however many clients), in case a revocation
  // missed the bus. A credential that cannot be checked counts as ended, as at the door.
  const recheck = setInterval(() => {
    if (clients.size === 0) return;
    const principals = [...new Set([...clients.values()].map((client) => client.principal))];
    opts.authenticator
      .stillValid(principals)
      .catch(() => new Set<Principal>())
      .then((valid) => {
        for (const [socket, client] of clients) if (!valid.has(client.principal)) endSession(socket, 'session revoked');
      });
  }, RECHECK_MS);
  recheck.unref();

  const unsubscribers = [
    await opts.bus.subscribe(CHANNELS.results, (result) => queueResult(result as StreamedResult)),
    await opts.bus.subscribe(CHANNELS.agentStatus, (agent) => broadcast({ type: 'agent', agent } as StreamMessage)),
    await opts.bus.subscribe(CHANNELS.checks, (check) =>
      broadcast({ type: 'check', id: (check as { id: string }).id } as StreamMessage),
    ),
  ];
  app.addHook('onClose', async () => {
    clearInterval(recheck);
    stopWatchingRevocations();
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    for (const socket of clients.keys()) socket.close(1001, 'server shutting down');
  });

  app.route({
    method: 'GET',
    url: '/ws/stream',
    // a HEAD cannot be upgraded: it falls through to the 404 handler instead of an empty answer
    exposeHeadRoute: false,
    handler: async () => {
      throw errors.upgradeRequired(
        'this is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)',
      );
    },
    wsHandler: (socket, request) => {
      const principal = request.principal!;
      clients.set(socket, { principal });
      opts.onClientCount?.(clients.size);
      // The session ends when the credential does: the client must come back with a fresh one.
      const expiry = setTimeout(
        () => endSession(socket, 'token expired'),
        Math.min(2 ** 31 - 1, Math.max(0, principal.expiresAt - Date.now())),
      );
      socket.send(JSON.stringify({ type: 'hello', user: principal.name } satisfies StreamMessage));
      socket.on('close', () => {
        clearTimeout(expiry);
        clients.delete(socket);
        opts.onClientCount?.(clients.size);
      });
    },
  });
}
