/**
 * SQLSTATEs and socket errors that mean "PostgreSQL is not there right now", not "this request is
 * wrong": class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now),
 * 53300 (too many connections), and the socket errors the driver passes on.
 */
const DB_UNAVAILABLE_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres and ioredis say, without a code, when their server went away. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Stream isn't writeable|MaxRetriesPerRequest|connect ECONNREFUSED|terminating connection due to administrator command|the database system is (starting up|shutting down)/i;

/**
 * True when `error` says a dependency (PostgreSQL, Redis) is unreachable: the request was fine and
 * may be tried again later (503 with Retry-After; a nack to an agent), rather than a bug (500).
 */
export function isDependencyDown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && DB_UNAVAILABLE_CODES.has(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}
