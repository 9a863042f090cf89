import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseOr400 } from '../http/errors.ts';
import { getOperationAST, GraphQLError, parse } from './graphql-js.ts';
import { LIMITS } from './limits.ts';

const Query = z
  .string()
  .min(1, 'must be a GraphQL document')
  .refine(
    (text) => Buffer.byteLength(text) <= LIMITS.queryBytes,
    `must be at most ${LIMITS.queryBytes} bytes: ask for less, or split the query`,
  );
const OperationName = z.string().max(200);
const JsonObject = z.record(z.string(), z.unknown());

/** POST /graphql: one operation (batches are not taken). */
export const GraphqlRequest = z.strictObject({
  query: Query,
  variables: JsonObject.nullable().optional(),
  operationName: OperationName.nullable().optional(),
  extensions: JsonObject.optional(),
});

/** JSON text of an object (GET's `variables` and `extensions`). */
const JsonObjectText = z.string().refine((text) => {
  try {
    return JsonObject.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}, 'must be a JSON object');

/** GET /graphql?query=…: a query (mercurius refuses anything else over GET). */
export const GraphqlGetQuery = z.strictObject({
  query: Query,
  variables: JsonObjectText.optional(),
  operationName: OperationName.optional(),
  extensions: JsonObjectText.optional(),
});

/**
 * The request is checked as strictly as any REST request before mercurius reads it: a missing or
 * oversized query, an unknown field or a batch is a problem+json 400 naming the field, not a
 * GraphQL error. A WebSocket upgrade carries its operations in messages, not here.
 */
export async function checkGraphqlRequest(request: FastifyRequest) {
  if (request.ws) return;
  if (request.method === 'POST') parseOr400(GraphqlRequest, request.body, 'body');
  else parseOr400(GraphqlGetQuery, request.query, 'query');
}

/**
 * A plain GET must name an operation mercurius can find: it looks the operation up to refuse
 * mutations over GET and fails on one it cannot find (two unnamed operations, an unknown
 * operationName) with a TypeError, a 500. Parsed once more here, bounded by the same limits.
 */
export function assertGetOperation(source: string, operationName: string | undefined) {
  let document;
  try {
    document = parse(source, { maxTokens: LIMITS.tokens });
  } catch {
    return; // mercurius reports the syntax error
  }
  if (getOperationAST(document, operationName)) return;
  throw new GraphQLError(
    operationName === undefined
      ? 'the query holds several operations (or none): name the one to run in operationName'
      : `the query has no operation named "${operationName.slice(0, 200)}"`,
    { extensions: { code: 'BAD_REQUEST' } },
  );
}
