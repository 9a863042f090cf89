import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errors, problemBody, type ApiError } from './errors.ts';

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

/** A whole HTTP response in problem+json, written on the raw socket (no request was parsed). */
function rawProblem(error: ApiError) {
  const body = JSON.stringify(problemBody(error));
  const headers = Object.entries(error.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `HTTP/1.1 ${error.status} ${http.STATUS_CODES[error.status]}\r\ncontent-type: application/problem+json\r\n${headers}` +
    `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/**
 * Errors Node's HTTP parser raises before any route sees the request (too slow, headers too large,
 * not HTTP at all): answered in problem+json like every other error. Fastify's `clientErrorHandler`.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? errors.requestTimeout('the request did not arrive in time; send it faster')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? errors.headersTooLarge('the request headers are too large')
        : errors.badRequest('the request is not valid HTTP');
  if (socket.writable) socket.end(rawProblem(answer));
  socket.destroy();
}

function capConnections(server: http.Server, max: number) {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      // answered before reading the request: the client learns why instead of seeing a reset
      socket.end(
        rawProblem(errors.rateLimited(`this address already holds ${max} open connections; close some and retry`, 1)),
      );
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
