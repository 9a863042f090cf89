import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphQLError, Kind, specifiedRules, validate, type DocumentNode } from './graphql-js.ts';
import mercurius, { type IResolvers, type MercuriusLoaders } from 'mercurius';
import type { WebSocket } from 'ws';
import type { Bus } from '../bus/bus.ts';
import type { Db } from '../db/db.ts';
import type { AgentService } from '../modules/agents/service.ts';
import type { Authenticator } from '../modules/auth/authenticator.ts';
import type { CheckService } from '../modules/checks/service.ts';
import { formatErrors, handleRouteError } from './errors.ts';
import { createResultFeed } from './live.ts';
import { assertAffordable, documentSizeRule, LIMITS } from './limits.ts';
import { assertGetOperation, checkGraphqlRequest } from './request.ts';
import { createLoaders, createResolvers, type GraphqlContext } from './resolvers.ts';
import { typeDefs } from './schema.ts';
import { watchSubscriptionSockets } from './sockets.ts';

export const GRAPHQL_PATH = '/graphql';
/** The WebSocket subprotocols of GraphQL subscriptions, preferred first. */
export const GRAPHQL_SUBPROTOCOLS = ['graphql-transport-ws', 'graphql-ws'] as const;

/**
 * The subprotocol to answer on an upgrade of /graphql (undefined: not /graphql). Like the stream's
 * nop.v1, only a known name is ever echoed, never a `nop.jwt.<token>` entry.
 */
export function graphqlSubprotocol(protocols: Set<string>, request: IncomingMessage): string | false | undefined {
  if ((request.url ?? '').split('?')[0] !== GRAPHQL_PATH) return undefined;
  return GRAPHQL_SUBPROTOCOLS.find((name) => protocols.has(name)) ?? false;
}

/** No GraphQL document is also JSON (a selection set is never a JSON object). */
function looksLikeJson(source: string) {
  try {
    JSON.parse(source);
    return true;
  } catch {
    return false;
  }
}

const hasSubscription = (document: DocumentNode) =>
  document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription');

/**
 * GraphQL at /graphql (mercurius): queries over HTTP (POST, or GET ?query=) and subscriptions over
 * a WebSocket (graphql-transport-ws), over the same services as REST and behind the same auth
 * guard and policy table. Read-only in this slice: mutations would have to repeat REST's audit
 * entries, so writes stay on REST. GraphiQL is off (its page needs scripts our CSP refuses, and
 * the schema is published as docs/schema.graphql).
 */
export async function graphqlRoutes(
  app: FastifyInstance,
  opts: { agents: AgentService; checks: CheckService; db: Db; bus: Bus; authenticator: Authenticator },
) {
  const feed = await createResultFeed(opts.bus);
  app.addHook('onClose', async () => feed.close());
  const sockets = watchSubscriptionSockets(app, opts.authenticator);

  await app.register(mercurius, {
    schema: typeDefs,
    resolvers: createResolvers({ ...opts, feed }) as unknown as IResolvers,
    loaders: createLoaders(opts.checks) as unknown as MercuriusLoaders,
    path: GRAPHQL_PATH,
    graphiql: false,
    allowBatchedQueries: false,
    queryDepth: LIMITS.depth,
    validationRules: [documentSizeRule],
    graphql: { parseOptions: { maxTokens: LIMITS.tokens } },
    context: (request: FastifyRequest): GraphqlContext => ({ principal: request.principal }),
    errorFormatter: formatErrors as never,
    errorHandler: handleRouteError,
    additionalRouteOptions: {
      bodyLimit: LIMITS.bodyBytes,
      // a HEAD cannot run a query or be upgraded: it falls through to the 404 handler
      exposeHeadRoute: false,
      // before Fastify's schema validation, which would coerce a number `query` into text
      preValidation: checkGraphqlRequest,
    },
    subscription: {
      // a client that names no subprotocol speaks the current one
      wsDefaultSubprotocol: 'graphql-transport-ws',
      // asked at connection_init: the principal is the upgrade's, checked by the auth guard
      context: (socket: WebSocket, request: FastifyRequest): GraphqlContext => {
        sockets.initialised(socket);
        return { principal: request.principal, socket };
      },
    },
  });

  // mercurius takes a query that does not parse as GraphQL for a JSON AST, which skips the parser's
  // limits and can hand the validator anything: only GraphQL text is taken
  app.graphql.addHook('preParsing', async (_schema, source, context) => {
    if (looksLikeJson(source))
      throw new GraphQLError('the query must be GraphQL text', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    const request = context.reply?.request;
    if (request?.method === 'GET' && !request.ws)
      assertGetOperation(source, (request.query as { operationName?: string }).operationName);
  });
  app.graphql.addHook('preExecution', async (schema, document, _context, variables) => {
    if (hasSubscription(document))
      throw new GraphQLError(
        `subscriptions run over a WebSocket: connect to ${GRAPHQL_PATH} with the subprotocol graphql-transport-ws`,
        { extensions: { code: 'BAD_REQUEST' } },
      );
    assertAffordable(schema, document, variables as Record<string, unknown> | undefined);
  });

  // mercurius neither checks the size of a subscription nor validates its document: done here
  app.graphql.addHook('preSubscriptionParsing', async (_schema, source) => {
    if (Buffer.byteLength(source) > LIMITS.queryBytes)
      throw new GraphQLError(`the query must be at most ${LIMITS.queryBytes} bytes`, {
        extensions: { code: 'QUERY_TOO_LARGE' },
      });
  });
  app.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    const problems = validate(schema, document, [...specifiedRules, documentSizeRule]);
    if (problems.length) throw problems[0];
    assertAffordable(schema, document);
  });
}
