import type { FastifyRequest } from 'fastify';

// Credentials a client may put where they do not belong (a token in the query string or the path):
// request logs print URLs, so those are blanked before a line is written.
const CREDENTIAL = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|nop_(agt|pat|inv)_[A-Za-z0-9_-]+/g;
const SECRET_NAME = /token|password|passwd|secret|key|auth|session|cookie/i;

/** A URL fit for a log: credential-shaped values and values of secret-sounding parameters blanked. */
export function redactUrl(url: string): string {
  const blanked = url.replace(CREDENTIAL, '[redacted]');
  const q = blanked.indexOf('?');
  if (q < 0) return blanked;
  const query = blanked
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && SECRET_NAME.test(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    });
  return `${blanked.slice(0, q)}?${query.join('&')}`;
}

/**
 * pino settings for every backend logger (the process's and the tests'): requests are logged as
 * Fastify does, with the URL redacted; authorization headers and secret-sounding fields never.
 */
export const LOG_SETTINGS = {
  serializers: {
    req: (request: FastifyRequest) => ({
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    }),
  },
  redact: [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["sec-websocket-protocol"]',
    '*.password',
    '*.token',
    '*.headers.authorization',
  ],
};
