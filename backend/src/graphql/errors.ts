import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type ExecutionResult } from './graphql-js.ts';
import { ApiError, errors } from '../http/errors.ts';

/** extensions.code of a REST error met inside a resolver, by its status. */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** extensions.code of mercurius's own refusals. */
const CODE_OF_MERCURIUS: Record<string, string> = {
  MER_ERR_GQL_QUERY_DEPTH: 'DEPTH_LIMIT_EXCEEDED',
};

const isMercurius = (error: Error & { code?: unknown }) =>
  typeof error.code === 'string' && error.code.startsWith('MER_ERR_');

type Located = Pick<GraphQLError, 'message' | 'nodes' | 'source' | 'positions' | 'path'>;

const rebuilt = (error: Located, message: string, extensions: Record<string, unknown>) =>
  new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });

/**
 * One error as the client sees it. Expected errors keep their words and get an extensions.code;
 * anything else (a bug, a database failure) is logged and answered as "internal error", so no
 * statement, parameter or stack ever reaches a client.
 */
function present(error: GraphQLError, log: FastifyBaseLogger): GraphQLError {
  const original = error.originalError as (Error & { code?: unknown; extensions?: unknown }) | undefined;
  if (!original || original instanceof GraphQLError) {
    if (error.extensions.code) return error;
    const code = error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
    return rebuilt(error, error.message, { ...error.extensions, code });
  }
  if (original instanceof ApiError && original.status < 500)
    return rebuilt(error, original.message, { code: CODE_OF_STATUS[original.status] ?? 'BAD_REQUEST' });
  if (isMercurius(original))
    return rebuilt(error, original.message.replace(/^`|`$/g, ''), {
      code: CODE_OF_MERCURIUS[String(original.code)] ?? 'GRAPHQL_VALIDATION_FAILED',
    });
  // the error itself only: database errors can carry statement parameters
  log.error({ err: { type: original.name, message: original.message, code: original.code } }, 'graphql field failed');
  return rebuilt(error, 'internal error: see the server log', { code: 'INTERNAL_SERVER_ERROR' });
}

const toGraphQLError = (error: Error) =>
  error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });

/**
 * mercurius's errorFormatter. GraphQL over HTTP with application/json: a well-formed request is
 * answered 200, its errors in `errors` beside whatever `data` could be resolved. (A request that is
 * not well-formed never gets here: it is a problem+json 4xx like any REST request.)
 */
export function formatErrors(
  execution: ExecutionResult & { errors?: readonly Error[] },
  ctx: { reply?: FastifyReply; app?: { log: FastifyBaseLogger } },
) {
  const log = ctx.reply?.log ?? ctx.app!.log;
  const errors = (execution.errors ?? [])
    // mercurius gathers parse and validation errors into one error's `errors`
    .flatMap((error) => {
      const holder = ((error as GraphQLError).originalError ?? error) as Error & { code?: unknown; errors?: unknown };
      return isMercurius(holder) && Array.isArray(holder.errors) ? (holder.errors as Error[]) : [error];
    })
    .map((error) => present(toGraphQLError(error), log).toJSON());
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}

/** What the errors of the GraphQL layer look like: mercurius's own, and GraphQLErrors. */
const isGraphqlLayer = (error: Error & { code?: unknown }) => error instanceof GraphQLError || isMercurius(error);

/**
 * The route-level error handler of /graphql. Errors of the GraphQL layer (a query that does not
 * parse or validate, one over a limit) are answered the GraphQL way; everything else — the auth
 * guard's 401/403, a malformed or oversized body, a bug — is rethrown to the app's handler and
 * answered as problem+json, exactly as on every REST route.
 */
export async function handleRouteError(
  error: Error & { code?: unknown },
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (error.code === 'MER_ERR_METHOD_NOT_ALLOWED')
    throw new ApiError(405, 'method-not-allowed', 'Method not allowed', 'a GET runs queries only');
  if (request.validationError || error.code === 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND')
    throw errors.badRequest(`not a GraphQL request: ${request.validationError?.message ?? error.message}`);
  if (!isGraphqlLayer(error)) throw error;
  const { response } = formatErrors({ data: null, errors: [error as GraphQLError] }, { reply });
  reply.code(200).send(response);
}
