import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { StreamMessage } from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';

/** Bytes a slow browser may have queued before we stop sending it results (it is closed, then reconnects). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /ws/stream: live results and agent status for signed-in users. The auth guard has already
 * checked the JWT (Authorization header, or the `nop.jwt.<token>` subprotocol browsers use).
 * Each message is encoded once and the same bytes go to every client.
 */
export async function streamRoutes(app: FastifyInstance, opts: { bus: Bus; onClientCount?: (n: number) => void }) {
  const clients = new Set<WebSocket>();

  const broadcast = (message: StreamMessage) => {
    if (clients.size === 0) return;
    const frame = JSON.stringify(message);
    for (const socket of clients) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.close(1013, 'too slow; reconnect');
      else socket.send(frame);
    }
  };

  const unsubscribers = [
    await opts.bus.subscribe(CHANNELS.results, (result) => broadcast({ type: 'result', result } as StreamMessage)),
    await opts.bus.subscribe(CHANNELS.agentStatus, (agent) => broadcast({ type: 'agent', agent } as StreamMessage)),
  ];
  app.addHook('onClose', async () => {
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    for (const socket of clients) socket.close(1001, 'server shutting down');
  });

  app.get('/ws/stream', { websocket: true }, (socket, request) => {
    const user = request.user!;
    clients.add(socket);
    opts.onClientCount?.(clients.size);
    // The session ends when the token does: the client must come back with a fresh one.
    const expiry = setTimeout(() => socket.close(1008, 'token expired'), Math.max(0, user.exp * 1000 - Date.now()));
    socket.send(JSON.stringify({ type: 'hello', user: user.name } satisfies StreamMessage));
    socket.on('close', () => {
      clearTimeout(expiry);
      clients.delete(socket);
      opts.onClientCount?.(clients.size);
    });
  });
}
