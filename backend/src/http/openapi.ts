import {
  AcceptInvitationBody,
  Agent,
  AgentActionBody,
  AgentPage,
  ApiToken,
  ApiTokenBody,
  AuditEntry,
  AuthOptions,
  ChangePasswordBody,
  CheckActionBody,
  CheckMetaInput,
  CheckObject,
  CheckPage,
  CheckType,
  CheckVariants,
  CloneCheckBody,
  CreateAgentBody,
  CreatedAgent,
  CreatedApiToken,
  CreatedInvitation,
  CreateUserBody,
  EndedSessions,
  EXPORT_CSV_COLUMNS,
  HistoryMetricsResponse,
  Invitation,
  InvitationBody,
  InvitationInfo,
  InvitationTokenBody,
  LATEST_MAX_PAIRS,
  LatestResultsResponse,
  LoginBody,
  MetricsResponse,
  MetricsSummaryResponse,
  pageOf,
  PAGE_MAX_LIMIT,
  PatchAgentBody,
  PatchUserBody,
  ResultsPage,
  SECRET_MASK,
  Session,
  SignupBody,
  StreamedResult,
  TokenResponse,
  UpdateMeBody,
  User,
} from '@nop/protocol';
import { z } from 'zod';
import { GraphqlRequest } from '../graphql/request.ts';
import { LIMITS as GRAPHQL_LIMITS } from '../graphql/limits.ts';
import { POLICY, type RoutePolicy } from './policy.ts';

/**
 * The REST API as OpenAPI 3.1, generated from the same zod schemas the routes validate with.
 * `npm run openapi` writes it to docs/openapi.json; a test fails when the two drift apart, or
 * when a route exists that this document does not describe. Who may call each operation comes
 * from the policy table (policy.ts), stated in `x-nop-roles`.
 */
// Named schemas become components and refer to each other, so each appears once. Inputs (what
// clients send: defaults optional) and outputs (what the API answers) are separate registries.
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const INPUTS = {
  SignupBody,
  LoginBody,
  UpdateMeBody,
  ChangePasswordBody,
  CreateUserBody,
  PatchUserBody,
  InvitationBody,
  InvitationTokenBody,
  AcceptInvitationBody,
  ApiTokenBody,
  CreateAgentBody,
  PatchAgentBody,
  AgentActionBody,
  CheckSpecInput: CheckVariants,
  CheckMetaInput,
  CheckActionBody,
  CloneCheckBody,
  GraphqlRequest,
};
const OUTPUTS = {
  TokenResponse,
  AuthOptions,
  User,
  UserPage: pageOf(User),
  Session,
  SessionPage: pageOf(Session),
  Invitation,
  InvitationPage: pageOf(Invitation),
  CreatedInvitation,
  InvitationInfo,
  ApiToken,
  ApiTokenPage: pageOf(ApiToken),
  EndedSessions,
  CreatedApiToken,
  AuditEntry,
  AuditPage: pageOf(AuditEntry),
  Agent,
  AgentPage,
  CreatedAgent,
  MetricsResponse,
  HistoryMetricsResponse,
  MetricsSummaryResponse,
  StreamedResult,
  ResultsPage,
  LatestResultsResponse,
  CheckSpec: CheckVariants,
  Check: CheckObject,
  CheckPage,
};

function components(schemas: Record<string, z.ZodType>, io: 'input' | 'output') {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => ref(id).$ref }).schemas;
  return Object.fromEntries(Object.entries(converted).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

/**
 * A check travels flat: each type's settings beside labels, enabled and assignment, the id optional
 * (made from type and target). Built from the two input schemas so it cannot drift from them.
 */
function checkBodies(inputs: Record<string, JsonSchema>, partial: boolean): JsonSchema {
  const spec = inputs.CheckSpecInput!;
  const meta = inputs.CheckMetaInput!;
  const variants = (spec.oneOf ?? spec.anyOf) as JsonSchema[];
  return {
    oneOf: variants.map((variant) => ({
      ...variant,
      properties: { ...variant.properties, ...meta.properties },
      required: partial ? [] : (variant.required ?? []).filter((name) => name !== 'id'),
    })),
  };
}

const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const body = (id: keyof typeof INPUTS) => ({ required: true, content: json(ref(id)) });
const answer = (description: string, id: keyof typeof OUTPUTS) => ({ description, content: json(ref(id)) });
const noContent = (description: string) => ({ description });
const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `the ${what}'s id`,
  schema: { type: 'string', format: 'uuid' },
});
const checkIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: "the check's id",
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' },
};
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const pageQuery = [
  query('limit', `items per page (default 50, at most ${PAGE_MAX_LIMIT})`, {
    type: 'string',
    pattern: '^[0-9]{1,6}$',
  }),
  query('cursor', 'nextCursor of the previous page', { type: 'string', maxLength: 512 }),
];
/** The History API's filters: agent and check first (the only ones some routes take). */
const resultFilters = [
  query('agent_id', 'only this agent (an unknown one is a 400)', { type: 'string', format: 'uuid' }),
  query('check_id', 'only this check id (an unknown one is a 400)', {
    type: 'string',
    pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$',
  }),
  query('status', 'ok: successful runs only; failed: failed runs only', { type: 'string', enum: ['ok', 'failed'] }),
];
/** What GraphQL answers (its own format, not problem+json: GraphQL over HTTP, application/json). */
const graphqlResponse = {
  type: 'object',
  properties: {
    data: { type: ['object', 'null'] },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['message'],
        properties: {
          message: { type: 'string' },
          path: { type: 'array', items: { type: ['string', 'integer'] } },
          extensions: { type: 'object', properties: { code: { type: 'string' }, argument: { type: 'string' } } },
        },
      },
    },
  },
};
const badInput = { '400': problem('malformed JSON or an invalid field (named in detail and errors)') };
const limited = { '429': problem('too many attempts (Retry-After says when to retry)') };
const notFound = (what: string) => ({ '404': problem(`no such ${what}`) });

/** Who may call: from the policy table, so the document and the guard cannot disagree. */
function access(method: string, path: string) {
  const policy: RoutePolicy | undefined = POLICY[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`];
  if (!policy) throw new Error(`no policy for ${method.toUpperCase()} ${path}: add it to backend/src/http/policy.ts`);
  if (policy.access === 'public') return { security: [], 'x-nop-roles': ['anyone'] };
  if (policy.access === 'agent') return { security: [{ agentToken: [] }], 'x-nop-roles': ['agent'] };
  const refusals = {
    '401': problem('missing, invalid, expired or revoked credential'),
    '403': problem(
      `needs the role ${policy.roles.join(' or ')}` +
        (policy.owner ? ' (editors: only on what they own)' : '') +
        (policy.session ? '; a session JWT, not an API token' : ''),
    ),
  };
  return {
    'x-nop-roles': [...policy.roles],
    ...(policy.session ? { security: [{ bearer: [] }] } : {}),
    refusals,
  };
}

type Operation = { summary: string; description?: string; responses: Record<string, object> } & Record<string, unknown>;

/** Every operation gets its access (and 401/403 for user routes) from the policy table. */
function paths(spec: Record<string, Record<string, Operation | object[]>>) {
  return Object.fromEntries(
    Object.entries(spec).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          if (method === 'parameters') return [method, operation];
          const { refusals, ...rest } = access(method, path) as ReturnType<typeof access> & { refusals?: object };
          const op = operation as Operation;
          return [method, { ...op, ...rest, responses: { ...op.responses, ...refusals } }];
        }),
      ),
    ]),
  );
}

export function buildOpenApi() {
  const inputSchemas = components(INPUTS, 'input') as Record<string, JsonSchema>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'NOP — Network Observability Platform API',
      version: '1',
      description:
        'Every route needs `Authorization: Bearer <credential>` (a session JWT from login, or an API token ' +
        '`nop_pat_…`) except sign-in, the invitation pages and the health routes; `x-nop-roles` says which ' +
        'roles (admin, editor, viewer) may call each operation. Lists are paged: `{items, nextCursor}`, pass ' +
        'nextCursor back as `cursor`. Errors are RFC 9457 problem details; a 400 names each bad field in ' +
        '`detail` and `errors`. Check settings that carry credentials (HTTP headers, body, basicAuth.password) ' +
        `are write-only: answered as "${SECRET_MASK}"; send "${SECRET_MASK}" back to keep the stored value.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiToken: [] }],
    paths: paths({
      '/api/v1/auth/options': {
        get: {
          summary: 'What the sign-in page needs: is this the first account, is sign-up open',
          responses: { '200': answer('options', 'AuthOptions') },
        },
      },
      '/api/v1/auth/signup': {
        post: {
          summary: 'Create an account: the first one becomes admin; later ones only with NOP_SIGNUP=open',
          requestBody: body('SignupBody'),
          responses: {
            '201': answer('signed up', 'TokenResponse'),
            ...badInput,
            '403': problem('sign-up is closed: ask an admin for an invitation'),
            '409': problem('the email is taken'),
            ...limited,
            '503': problem('too many sign-ins in progress'),
          },
        },
      },
      '/api/v1/auth/login': {
        post: {
          summary: 'Exchange email and password for a session JWT',
          requestBody: body('LoginBody'),
          responses: {
            '200': answer('signed in', 'TokenResponse'),
            ...badInput,
            '401': problem('wrong email or password'),
            '403': problem('the account is disabled'),
            '429': problem('too many attempts from this address or for this account (Retry-After)'),
            '503': problem('too many sign-ins in progress'),
          },
        },
      },
      '/api/v1/auth/invitation': {
        post: {
          summary: 'What an invitation link offers (email, role, expiry)',
          requestBody: body('InvitationTokenBody'),
          responses: {
            '200': answer('the invitation', 'InvitationInfo'),
            ...badInput,
            ...notFound('invitation'),
            '410': problem('the invitation was used, revoked or has expired'),
            ...limited,
          },
        },
      },
      '/api/v1/auth/invitation/accept': {
        post: {
          summary: 'Accept an invitation: makes the account and signs it in (one use only)',
          requestBody: body('AcceptInvitationBody'),
          responses: {
            '201': answer('signed up', 'TokenResponse'),
            ...badInput,
            ...notFound('invitation'),
            '409': problem('the email is taken'),
            '410': problem('the invitation was used, revoked or has expired'),
            ...limited,
          },
        },
      },
      '/api/v1/auth/logout': {
        post: { summary: 'End this session on every replica', responses: { '204': noContent('signed out') } },
      },
      '/api/v1/auth/me': {
        get: { summary: 'The signed-in user', responses: { '200': answer('the user', 'User') } },
        patch: {
          summary: 'Rename yourself',
          requestBody: body('UpdateMeBody'),
          responses: { '200': answer('the user', 'User'), ...badInput },
        },
      },
      '/api/v1/auth/password': {
        post: {
          summary: 'Change your password (needs the current one): ends every session, answers a new one',
          requestBody: body('ChangePasswordBody'),
          responses: { '200': answer('signed in again', 'TokenResponse'), ...badInput, ...limited },
        },
      },
      '/api/v1/auth/sessions': {
        get: {
          summary: 'Your live sessions (the one asking is marked current)',
          parameters: pageQuery,
          responses: { '200': answer('sessions', 'SessionPage'), ...badInput },
        },
        delete: {
          summary: 'Sign out everywhere else: end every session of yours but this one',
          responses: { '200': answer('how many ended', 'EndedSessions') },
        },
      },
      '/api/v1/auth/sessions/{id}': {
        parameters: [idParam('session')],
        delete: {
          summary: 'End one of your sessions on every replica (its open streams close)',
          responses: { '204': noContent('ended'), ...notFound('live session of yours') },
        },
      },
      '/api/v1/api-tokens': {
        get: {
          summary: 'Your API tokens that still work',
          parameters: pageQuery,
          responses: { '200': answer('tokens', 'ApiTokenPage'), ...badInput },
        },
        post: {
          summary: 'Create an API token: shown once, stored hashed, a role no higher than yours',
          requestBody: body('ApiTokenBody'),
          responses: {
            '201': answer('created', 'CreatedApiToken'),
            ...badInput,
            '409': problem('you hold the most live tokens allowed'),
            ...limited,
          },
        },
      },
      '/api/v1/api-tokens/{id}': {
        parameters: [idParam('API token')],
        delete: {
          summary: 'Revoke one of your API tokens',
          responses: { '204': noContent('revoked'), ...notFound('API token of yours') },
        },
      },
      '/api/v1/users': {
        get: { summary: 'Users, by email', parameters: pageQuery, responses: { '200': answer('users', 'UserPage') } },
        post: {
          summary: 'Create a user with a password and a role',
          requestBody: body('CreateUserBody'),
          responses: { '201': answer('created', 'User'), ...badInput, '409': problem('the email is taken') },
        },
      },
      '/api/v1/users/{id}': {
        parameters: [idParam('user')],
        get: { summary: 'One user', responses: { '200': answer('the user', 'User'), ...notFound('user') } },
        patch: {
          summary: 'Rename, change the role of, disable or enable a user (role and disable end their sessions)',
          requestBody: body('PatchUserBody'),
          responses: {
            '200': answer('updated', 'User'),
            ...badInput,
            ...notFound('user'),
            '409': problem('it would leave no active admin'),
          },
        },
        delete: {
          summary: 'Delete a user (their agents stay, owned by no one)',
          responses: {
            '204': noContent('deleted'),
            ...notFound('user'),
            '409': problem('yourself, or the last active admin'),
          },
        },
      },
      '/api/v1/users/{id}/sessions': {
        parameters: [idParam('user')],
        delete: {
          summary: 'Sign a user out everywhere (their streams close; their API tokens keep working)',
          responses: { '200': answer('how many ended', 'EndedSessions'), ...notFound('user') },
        },
      },
      '/api/v1/invitations': {
        get: {
          summary: 'Invitations, newest first, with their status',
          parameters: [
            query('status', 'only this status', {
              type: 'string',
              enum: ['pending', 'accepted', 'expired', 'revoked'],
            }),
            ...pageQuery,
          ],
          responses: { '200': answer('invitations', 'InvitationPage') },
        },
        post: {
          summary: 'Invite someone: a one-time link (shown once) that expires',
          requestBody: body('InvitationBody'),
          responses: {
            '201': answer('created', 'CreatedInvitation'),
            ...badInput,
            '409': problem('an account with this email exists'),
          },
        },
      },
      '/api/v1/invitations/{id}': {
        parameters: [idParam('invitation')],
        delete: {
          summary: 'Revoke a pending invitation',
          responses: { '204': noContent('revoked'), ...notFound('pending invitation') },
        },
      },
      '/api/v1/audit-log': {
        get: {
          summary: 'Who changed what, newest first',
          parameters: [
            query('actor', 'only this user', { type: 'string', format: 'uuid' }),
            query('action', 'an action (agent.update) or a prefix (agent)'),
            query('target', 'only this target id'),
            query('from', 'ISO-8601 or epoch seconds'),
            query('to', 'ISO-8601 or epoch seconds'),
            ...pageQuery,
          ],
          responses: { '200': answer('entries', 'AuditPage'), ...badInput },
        },
      },
      '/api/v1/agents': {
        get: {
          summary: 'Agents, by name',
          parameters: pageQuery,
          responses: { '200': answer('agents', 'AgentPage'), ...badInput },
        },
        post: {
          summary: 'Create an agent: answers its one-time token and the command that runs it',
          requestBody: body('CreateAgentBody'),
          responses: {
            '201': answer('created', 'CreatedAgent'),
            ...badInput,
            '409': problem('the name is taken, or a quota (agents per user, checks per agent) is reached'),
          },
        },
      },
      '/api/v1/agents/{id}': {
        parameters: [idParam('agent')],
        get: { summary: 'One agent', responses: { '200': answer('the agent', 'Agent'), ...notFound('agent') } },
        patch: {
          summary: 'Rename and/or replace the checks (the config version grows by one)',
          requestBody: body('PatchAgentBody'),
          responses: {
            '200': answer('updated', 'Agent'),
            ...badInput,
            ...notFound('agent'),
            '409': problem('the name is taken, or there are more checks than an agent may have'),
          },
        },
        delete: {
          summary: 'Delete an agent (its token stops working, its link closes)',
          responses: {
            '204': noContent('deleted'),
            ...notFound('agent'),
            '409': problem('the managed local agent cannot be deleted'),
          },
        },
      },
      '/api/v1/agents/{id}/actions': {
        parameters: [idParam('agent')],
        post: {
          summary: 'Start, stop or restart an agent (reaches a connected agent within 2 s)',
          requestBody: body('AgentActionBody'),
          responses: {
            '202': {
              description: 'accepted',
              content: json({ type: 'object', required: ['agent'], properties: { agent: ref('Agent') } }),
            },
            ...badInput,
            ...notFound('agent'),
          },
        },
      },
      '/api/v1/checks': {
        get: {
          summary: 'Checks, by id',
          parameters: [
            query('type', 'only checks of this type', { type: 'string', enum: CheckType.options }),
            query('label', 'labels the checks carry: region=eu,role=edge'),
            query('agent_id', 'checks this agent runs now', { type: 'string', format: 'uuid' }),
            query('q', 'part of the id or target', { type: 'string', minLength: 1, maxLength: 200 }),
            query('enabled', 'only enabled or disabled checks', { type: 'string', enum: ['true', 'false'] }),
            ...pageQuery,
          ],
          responses: { '200': answer('checks', 'CheckPage'), ...badInput },
        },
        post: {
          summary: 'Create a check and assign it to agents by id and/or label selector',
          description:
            'The configs of the agents it reaches are compiled again and sent to them (within 2 s). Editors ' +
            'assign only to agents they own, and their selectors reach only agents they own.',
          requestBody: { required: true, content: json(ref('CheckBody')) },
          responses: {
            '201': answer('created', 'Check'),
            ...badInput,
            '409': problem('the id is taken, or an agent would run more checks than allowed'),
          },
        },
      },
      '/api/v1/checks/{id}': {
        parameters: [checkIdParam],
        get: { summary: 'One check', responses: { '200': answer('the check', 'Check'), ...notFound('check') } },
        patch: {
          summary: 'Change a check: only the fields sent (the version grows by one)',
          requestBody: { required: true, content: json(ref('CheckPatchBody')) },
          responses: {
            '200': answer('updated', 'Check'),
            ...badInput,
            ...notFound('check'),
            '409': problem('an agent would run more checks than allowed'),
          },
        },
        delete: {
          summary: 'Delete a check (its agents stop running it; its results stay)',
          responses: { '204': noContent('deleted'), ...notFound('check') },
        },
      },
      '/api/v1/checks/{id}/actions': {
        parameters: [checkIdParam],
        post: {
          summary: 'Enable or disable a check',
          requestBody: body('CheckActionBody'),
          responses: { '200': answer('the check', 'Check'), ...badInput, ...notFound('check') },
        },
      },
      '/api/v1/checks/{id}/clone': {
        parameters: [checkIdParam],
        post: {
          summary: 'Copy a check under a new id (made from type and target when absent)',
          requestBody: { required: false, content: json(ref('CloneCheckBody')) },
          responses: {
            '201': answer('the copy', 'Check'),
            ...badInput,
            ...notFound('check'),
            '409': problem('the id is taken, or an agent would run more checks than allowed'),
          },
        },
      },
      '/api/v1/metrics': {
        get: {
          summary: 'Aggregated series from stored results: per step avg, min, max, p10..p99, loss, jitter, uptime',
          description:
            'One series per (agent, check): by check alone one per agent, by agent alone one per check. ' +
            'p10/p25/p75/p90 draw SmokePing-style bands; loss is the mean metrics.loss_ratio (0..1) and ' +
            'jitter the mean metrics.jitter_ms of the runs that report them; uptime is the share of ' +
            'successful runs (0..1).',
          parameters: [
            query('agent_id', 'only this agent', { type: 'string', format: 'uuid' }),
            query('check_id', 'only this check'),
            query('metric', 'latency_ms (default) or a result metric such as loss_ratio'),
            query('from', 'ISO-8601 or epoch seconds (1970 to 9999); default: an hour before `to`'),
            query('to', 'ISO-8601 or epoch seconds; default: now (the range may span 400 days)'),
            query('step', 'seconds or a duration (10s, 1m), 1 s to 366 days; default: about 300 points'),
          ],
          responses: { '200': answer('series', 'HistoryMetricsResponse'), ...badInput },
        },
      },
      '/api/v1/metrics/summary': {
        get: {
          summary: 'Per (agent, check) over a range: runs, failures, uptime %, latency p50/p95/p99, loss, jitter',
          description: `By agent name, then check id; at most ${LATEST_MAX_PAIRS} pairs (then \`truncated\`).`,
          parameters: [
            ...resultFilters.slice(0, 2),
            query('from', 'ISO-8601 or epoch seconds; default: a day before `to`'),
            query('to', 'ISO-8601 or epoch seconds; default: now (the range may span 400 days)'),
          ],
          responses: { '200': answer('summary', 'MetricsSummaryResponse'), ...badInput },
        },
      },
      '/api/v1/results': {
        get: {
          summary: 'Stored results, newest first (time, then id)',
          description: 'An unknown agent_id or check_id is a 400 naming the field, not an empty page.',
          parameters: [
            ...resultFilters,
            query('from', 'ISO-8601 or epoch seconds: results at or after it'),
            query('to', 'ISO-8601 or epoch seconds: results before it'),
            ...pageQuery,
          ],
          responses: { '200': answer('results', 'ResultsPage'), ...badInput },
        },
      },
      '/api/v1/results/export': {
        get: {
          summary: 'Stored results as a streamed CSV or NDJSON file, oldest first',
          description:
            'Any range (default: the last 24 h), streamed in chunks: a client that goes away stops it. CSV ' +
            `(RFC 4180, CRLF) has the header ${EXPORT_CSV_COLUMNS.join(',')}; metrics is JSON text. A cell ` +
            'starting with = + - @, a tab or a carriage return is written with a leading single quote, so ' +
            'spreadsheets show it instead of running it as a formula. NDJSON has one StreamedResult per line.',
          parameters: [
            query('format', 'csv (default) or ndjson', { type: 'string', enum: ['csv', 'ndjson'] }),
            ...resultFilters,
            query('from', 'ISO-8601 or epoch seconds; default: a day before `to`'),
            query('to', 'ISO-8601 or epoch seconds; default: now'),
          ],
          responses: {
            '200': {
              description: 'the file (Content-Disposition: attachment)',
              content: {
                'text/csv': { schema: { type: 'string' } },
                'application/x-ndjson': { schema: { type: 'string' } },
              },
            },
            ...badInput,
          },
        },
      },
      '/api/v1/results/latest': {
        get: {
          summary: "The latest result of every check in the agents' configs (null: none yet)",
          description: `By agent name, then check id; at most ${LATEST_MAX_PAIRS} pairs (then \`truncated\`).`,
          parameters: resultFilters.slice(0, 2),
          responses: { '200': answer('latest results', 'LatestResultsResponse'), ...badInput },
        },
      },
      '/api/v1/agents/link': {
        get: {
          summary: "The agents' control link (WebSocket)",
          description:
            'Agents dial in with `Authorization: Bearer nop_agt_…` (their own token, not a JWT) and speak the ' +
            'messages of protocol/src/link.ts: register, results batches and state from the agent; config, ' +
            'command, ack and error from the backend. A batch is acked after it is committed. The config ' +
            "carries the agent's check secrets in clear: this link is the only place they leave the backend.",
          responses: {
            '101': { description: 'switching protocols' },
            '401': problem('missing or unknown agent token'),
            '426': problem('a plain HTTP request: this endpoint speaks WebSocket only'),
          },
        },
      },
      '/graphql': {
        post: {
          summary: 'GraphQL: read agents, checks, results and metrics (schema: docs/schema.graphql)',
          description:
            'The same data and inputs as the REST routes, for any signed-in role; no mutations. A request that ' +
            'is not well-formed (no query, an unknown field, a batch) is a 400 problem+json; GraphQL errors ' +
            '(syntax, validation, a bad argument, a limit) answer 200 with `errors`, each with extensions.code ' +
            `(BAD_USER_INPUT names the argument). Limits: query ${GRAPHQL_LIMITS.queryBytes} bytes, ` +
            `${GRAPHQL_LIMITS.tokens} tokens, depth ${GRAPHQL_LIMITS.depth}, ${GRAPHQL_LIMITS.fields} fields, ` +
            `${GRAPHQL_LIMITS.aliases} aliases, cost ${GRAPHQL_LIMITS.cost} (each field 1, what a list selects ` +
            'once per item: `limit` items for a page, default 50; 10 for other lists).',
          requestBody: body('GraphqlRequest'),
          responses: {
            '200': { description: 'a GraphQL response: `data` and/or `errors`', content: json(graphqlResponse) },
            ...badInput,
            '413': problem(`the body is over ${GRAPHQL_LIMITS.bodyBytes} bytes`),
            '415': problem('the body is neither application/json nor application/graphql'),
          },
        },
        get: {
          summary: 'GraphQL queries by GET, and subscriptions over a WebSocket (graphql-transport-ws)',
          description:
            'A plain GET runs a query (`?query=`, `&variables=` as JSON, `&operationName=`). Upgraded to a ' +
            'WebSocket with the subprotocol `graphql-transport-ws` (or `graphql-ws`) it carries ' +
            'subscriptions, `subscription { results(checkId, agentId) { … } }`: results as they are stored. ' +
            'Authenticate the upgrade like /ws/stream (`Authorization`, or from a browser the extra subprotocol ' +
            '`nop.jwt.<JWT>`, never echoed); the socket closes with 1008 when the credential expires or is revoked.',
          parameters: [
            query('query', 'the GraphQL query (a plain GET needs it)', {
              type: 'string',
              maxLength: GRAPHQL_LIMITS.queryBytes,
            }),
            query('variables', 'the variables, as a JSON object'),
            query('operationName', 'which operation of the document to run', { type: 'string', maxLength: 200 }),
          ],
          responses: {
            '101': { description: 'switching protocols (WebSocket)' },
            '200': { description: 'a GraphQL response: `data` and/or `errors`', content: json(graphqlResponse) },
            ...badInput,
            '405': problem('a mutation or subscription by plain GET'),
          },
        },
      },
      '/ws/stream': {
        get: {
          summary: 'WebSocket of live results and agent status',
          description:
            'Authenticate with `Authorization: Bearer <JWT or API token>`, or from a browser with the ' +
            'subprotocols `nop.v1` and `nop.jwt.<JWT>` (the server answers `nop.v1`). Frames are JSON ' +
            'StreamMessage objects: hello, result, agent. Closes with 1008 when the credential expires or is ' +
            'revoked (logout, password or role change, disabled or deleted user), on every replica within 1 s.',
          responses: {
            '101': { description: 'switching protocols' },
            '426': problem('a plain HTTP request: this endpoint speaks WebSocket only'),
          },
        },
      },
      '/healthz': { get: { summary: 'The process is up', responses: { '200': { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'The database is reachable',
          responses: { '200': { description: 'ready' }, '503': problem('the database is not reachable') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics of this replica',
          responses: { '200': { description: 'text exposition format' } },
        },
      },
    }),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'a personal API token (nop_pat_…), shown once' },
        agentToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'an agent token (nop_agt_…), shown once at creation',
        },
      },
      schemas: {
        ...inputSchemas,
        CheckBody: checkBodies(inputSchemas, false),
        CheckPatchBody: {
          ...checkBodies(inputSchemas, true),
          description: 'any fields of a check; null removes an optional setting; the id cannot change',
        },
        ...components(OUTPUTS, 'output'),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
