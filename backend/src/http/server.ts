import http from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  /** a request whose headers and body have not all arrived by then is cut off (408) */
  requestTimeoutMs: number;
  /** open connections one address may hold; 0 = no cap (behind a proxy every client shares its address) */
  maxConnectionsPerAddress: number;
}

/**
 * The HTTP server under Fastify, with the limits that keep one client from holding the process:
 * headers and body must arrive within `requestTimeoutMs` (checked every second, not Node's default
 * 30 s), and an address may hold at most `maxConnectionsPerAddress` connections — the next one is
 * closed at once. WebSockets count while they are open.
 */
export function createLimitedServer(limits: ServerLimits) {
  return (handler: http.RequestListener) => {
    const server = http.createServer(
      {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: 1000,
      },
      handler,
    );
    if (limits.maxConnectionsPerAddress > 0) capConnections(server, limits.maxConnectionsPerAddress);
    return server;
  };
}

// Answered before reading the request: the client learns why instead of seeing a reset.
function tooManyConnections(max: number) {
  const body = JSON.stringify({
    type: 'https://nop.dev/problems/rate-limited',
    title: 'Too many requests',
    status: 429,
    detail: `this address already holds ${max} open connections; close some and retry`,
  });
  return (
    'HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\n' +
    `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

function capConnections(server: http.Server, max: number) {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.end(tooManyConnections(max));
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
