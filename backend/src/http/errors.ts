import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { isDependencyDown } from './dependency-errors.ts';

/** One field that failed validation: `path` like "body.config.checks[0].interval". */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Every error the API answers with, as RFC 9457 problem details. Routes throw ApiError; the
 * handlers below turn it (and Fastify's own errors, router errors included) into
 * application/problem+json.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    /** e.g. Retry-After on a 429 or 503 */
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

const retryAfter = (seconds: number) => ({ 'retry-after': String(Math.max(1, Math.ceil(seconds))) });

// The catalogue: one function per error, so the table of what the API can answer lives here.
export const errors = {
  validation: (detail: string, fields: FieldError[]) =>
    new ApiError(400, 'validation', 'Invalid request', detail, fields),
  /** A 400 whose detail lists every field as "path: message". */
  invalidFields: (fields: FieldError[]) =>
    new ApiError(400, 'validation', 'Invalid request', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields),
  malformedJson: (detail: string) => new ApiError(400, 'malformed-json', 'Malformed JSON body', detail),
  badRequest: (detail: string) => new ApiError(400, 'bad-request', 'Bad request', detail),
  unauthenticated: (detail = 'a valid bearer token is required') =>
    new ApiError(401, 'unauthenticated', 'Authentication required', detail, undefined, {
      'www-authenticate': 'Bearer realm="nop"',
    }),
  badCredentials: () => new ApiError(401, 'bad-credentials', 'Wrong email or password', 'wrong email or password'),
  forbidden: (detail: string) => new ApiError(403, 'forbidden', 'Not allowed', detail),
  notFound: (detail: string) => new ApiError(404, 'not-found', 'Not found', detail),
  conflict: (detail: string) => new ApiError(409, 'conflict', 'Conflict', detail),
  quotaExceeded: (detail: string) => new ApiError(409, 'quota-exceeded', 'Quota exceeded', detail),
  gone: (detail: string) => new ApiError(410, 'gone', 'Gone', detail),
  payloadTooLarge: (detail: string) => new ApiError(413, 'payload-too-large', 'Payload too large', detail),
  requestTimeout: (detail: string) => new ApiError(408, 'request-timeout', 'Request timeout', detail),
  uriTooLong: (detail: string) => new ApiError(414, 'uri-too-long', 'URI too long', detail),
  unsupportedMediaType: (detail: string) =>
    new ApiError(415, 'unsupported-media-type', 'Unsupported media type', detail),
  upgradeRequired: (detail: string) =>
    new ApiError(426, 'upgrade-required', 'Upgrade required', detail, undefined, { upgrade: 'websocket' }),
  rateLimited: (detail: string, retryAfterSeconds?: number) =>
    new ApiError(
      429,
      'rate-limited',
      'Too many requests',
      detail,
      undefined,
      retryAfterSeconds === undefined ? undefined : retryAfter(retryAfterSeconds),
    ),
  headersTooLarge: (detail: string) => new ApiError(431, 'headers-too-large', 'Request headers too large', detail),
  unavailable: (detail: string, retryAfterSeconds?: number) =>
    new ApiError(
      503,
      'unavailable',
      'Service unavailable',
      detail,
      undefined,
      retryAfterSeconds === undefined ? undefined : retryAfter(retryAfterSeconds),
    ),
};

export function fieldPath(where: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    where,
  );
}

/** Parses `value` with `schema` or throws a 400 naming every bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ path: fieldPath(where, issue.path), message: issue.message }));
  throw errors.invalidFields(fields);
}

/** The path of a request without its query, cut short: it is echoed in `instance`. */
const instanceOf = (request: FastifyRequest) => (request.url.split('?')[0] ?? '/').slice(0, 256);

/** The RFC 9457 body of an error. */
export const problemBody = (error: ApiError, instance?: string) => ({
  type: `https://nop.dev/problems/${error.code}`,
  title: error.title,
  status: error.status,
  detail: error.message,
  ...(instance !== undefined ? { instance } : {}),
  ...(error.errors ? { errors: error.errors } : {}),
});

function send(reply: FastifyReply, error: ApiError, instance: string) {
  if (error.headers) reply.headers(error.headers);
  return reply.status(error.status).type('application/problem+json').send(problemBody(error, instance));
}

/** Maps Fastify's own errors to the catalogue; anything unexpected becomes a logged 500. */
function fromFastify(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.malformedJson(error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType(error.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(error.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.badRequest(error.message);
    case 'FST_ERR_BAD_URL':
      return errors.badRequest('the URL is not valid percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return errors.uriTooLong('a path segment is longer than 500 characters');
  }
  if (error instanceof SyntaxError) return errors.malformedJson(error.message);
  if (error.statusCode === 429) return errors.rateLimited(error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return new ApiError(error.statusCode, 'bad-request', 'Bad request', error.message);
  return undefined;
}

export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof ApiError ? error : fromFastify(error);
    if (known) return send(reply, known, instanceOf(request));
    if (isDependencyDown(error)) {
      request.log.warn({ reason: error.message.slice(0, 200) }, 'a dependency is unavailable');
      return send(
        reply,
        errors.unavailable('a service the backend needs (database or Redis) is unavailable; try again shortly', 5),
        instanceOf(request),
      );
    }
    // the error itself only: database errors can carry statement parameters (passwords, tokens)
    request.log.error({ err: { type: error.name, message: error.message, code: error.code } }, 'unhandled error');
    return send(
      reply,
      new ApiError(500, 'internal', 'Internal error', 'the server failed; see its log'),
      instanceOf(request),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, errors.notFound(`no route ${request.method} ${instanceOf(request)}`), instanceOf(request)),
  );
}

/** Router errors (bad percent-encoding, an over-long path segment) as problem+json too. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = fromFastify(error) ?? errors.badRequest(error.message);
  return send(reply, known, instanceOf(request));
}
