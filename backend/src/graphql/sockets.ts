import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { revokes, type Authenticator, type Principal } from '../modules/auth/authenticator.ts';

/** Open sockets re-check their credential this often, in case a revocation missed the bus. */
const RECHECK_MS = 1000;
/** A socket must send connection_init this soon (graphql-transport-ws says 4408 otherwise). */
const INIT_TIMEOUT_MS = 10_000;

/**
 * The subscription sockets of /graphql end when their credential does, as /ws/stream's do: the
 * auth guard checked the credential at the upgrade; the socket closes with 1008 when it expires,
 * at once when a revocation (logout, password or role change, a disabled user) arrives over the
 * bus, and within RECHECK_MS otherwise. Registered in the plugin that serves /graphql: its
 * onRequest hook sees only that route's upgrades.
 */
export function watchSubscriptionSockets(app: FastifyInstance, authenticator: Authenticator) {
  // the upgrade's principal, until @fastify/websocket hands over the socket made from it
  const upgrades = new WeakMap<IncomingMessage, Principal>();
  const open = new Map<WebSocket, Principal>();
  const initialised = new WeakSet<WebSocket>();

  app.addHook('onRequest', async (request) => {
    if (request.ws && request.principal) upgrades.set(request.raw, request.principal);
  });

  const end = (socket: WebSocket, reason: string) => {
    open.delete(socket);
    socket.close(1008, reason);
  };

  // emitted before the route's handler gets the socket: mercurius then speaks on it
  const onConnection = (socket: WebSocket, raw: IncomingMessage) => {
    const principal = upgrades.get(raw);
    if (!principal) return;
    open.set(socket, principal);
    // beyond a timer's reach (24.8 days: long-lived API tokens) the recheck below ends it
    const left = Math.max(0, principal.expiresAt - Date.now());
    const expiry = left < 2 ** 31 - 1 ? setTimeout(() => end(socket, 'token expired'), left) : undefined;
    const init = setTimeout(() => {
      if (!initialised.has(socket)) socket.close(4408, 'Connection initialisation timeout');
    }, INIT_TIMEOUT_MS);
    socket.once('close', () => {
      clearTimeout(expiry);
      clearTimeout(init);
      open.delete(socket);
    });
  };
  app.websocketServer.on('connection', onConnection);

  const stopWatching = authenticator.onRevoke((revocation) => {
    for (const [socket, principal] of open)
      if (revokes(revocation, principal)) end(socket, revocation.reason ?? 'session revoked');
  });
  // one batch for every open socket; a credential that cannot be checked counts as ended
  const recheck = setInterval(() => {
    if (open.size === 0) return;
    const principals = [...new Set(open.values())];
    authenticator
      .stillValid(principals)
      .catch(() => new Set<Principal>())
      .then((valid) => {
        for (const [socket, principal] of open) if (!valid.has(principal)) end(socket, 'session revoked');
      });
  }, RECHECK_MS);
  recheck.unref();

  app.addHook('onClose', async () => {
    clearInterval(recheck);
    stopWatching();
    app.websocketServer.off('connection', onConnection);
    for (const socket of open.keys()) socket.close(1001, 'server shutting down');
  });

  return {
    /** connection_init arrived (mercurius asks the subscription context then) */
    initialised: (socket: WebSocket) => initialised.add(socket),
  };
}
