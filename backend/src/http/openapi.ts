import {
  Agent,
  AgentActionBody,
  CheckSpec,
  CreateAgentBody,
  CreatedAgent,
  LoginBody,
  MetricsResponse,
  PatchAgentBody,
  SignupBody,
  TokenResponse,
  User,
} from '@nop/protocol';
import { z } from 'zod';

/**
 * The REST API as OpenAPI 3.1, generated from the same zod schemas the routes validate with.
 * `npm run openapi` writes it to docs/openapi.json; a test fails when the two drift apart, or
 * when a route exists that this document does not describe.
 */
// Named schemas become components and refer to each other, so each appears once. Inputs (what
// clients send: defaults optional) and outputs (what the API answers) are separate registries.
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const INPUTS = { SignupBody, LoginBody, CreateAgentBody, PatchAgentBody, AgentActionBody, CheckSpecInput: CheckSpec };
const OUTPUTS = { TokenResponse, User, Agent, AgentList: z.array(Agent), CreatedAgent, MetricsResponse, CheckSpec };

function components(schemas: Record<string, z.ZodType>, io: 'input' | 'output') {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => ref(id).$ref }).schemas;
  return Object.fromEntries(Object.entries(converted).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const body = (id: keyof typeof INPUTS) => ({ required: true, content: json(ref(id)) });
const answer = (description: string, id: keyof typeof OUTPUTS) => ({ description, content: json(ref(id)) });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const authErrors = { '401': problem('missing, invalid or expired token') };
const open = { security: [] };

const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export function buildOpenApi() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'NOP — Network Observability Platform API',
      version: '1',
      description:
        'Every route needs `Authorization: Bearer <JWT>` except sign-up, login and the health routes. ' +
        'Errors are RFC 9457 problem details; a 400 names each bad field in `detail` and `errors`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/auth/signup': {
        post: {
          summary: 'Create an account (the first one becomes admin)',
          ...open,
          requestBody: body('SignupBody'),
          responses: {
            '201': answer('signed up', 'TokenResponse'),
            '400': problem('malformed JSON or an invalid field'),
            '403': problem('sign-up is closed (NOP_SIGNUP=closed)'),
            '409': problem('the email is taken'),
            '429': problem('too many attempts from this address'),
          },
        },
      },
      '/api/v1/auth/login': {
        post: {
          summary: 'Exchange email and password for a JWT',
          ...open,
          requestBody: body('LoginBody'),
          responses: {
            '200': answer('signed in', 'TokenResponse'),
            '400': problem('malformed JSON or an invalid field'),
            '401': problem('wrong email or password'),
            '429': problem('too many attempts from this address'),
          },
        },
      },
      '/api/v1/auth/me': {
        get: {
          summary: 'The signed-in user',
          responses: { '200': answer('the user', 'User'), ...authErrors },
        },
      },
      '/api/v1/agents': {
        get: {
          summary: 'List agents',
          responses: { '200': answer('agents', 'AgentList'), ...authErrors },
        },
        post: {
          summary: 'Create an agent: answers its one-time token and the command that runs it',
          requestBody: body('CreateAgentBody'),
          responses: {
            '201': answer('created', 'CreatedAgent'),
            '400': problem('an invalid field'),
            ...authErrors,
            '409': problem('the name is taken'),
          },
        },
      },
      '/api/v1/agents/{id}': {
        parameters: [idParam],
        get: {
          summary: 'One agent',
          responses: {
            '200': answer('the agent', 'Agent'),
            ...authErrors,
            '404': problem('no such agent'),
          },
        },
        patch: {
          summary: 'Rename and/or replace the checks (the config version grows by one)',
          requestBody: body('PatchAgentBody'),
          responses: {
            '200': answer('updated', 'Agent'),
            '400': problem('an invalid field'),
            ...authErrors,
            '403': problem('neither the owner nor an admin'),
            '404': problem('no such agent'),
            '409': problem('the name is taken'),
          },
        },
        delete: {
          summary: 'Delete an agent (its token stops working, its link closes)',
          responses: {
            '204': { description: 'deleted' },
            ...authErrors,
            '403': problem('neither the owner nor an admin'),
            '404': problem('no such agent'),
            '409': problem('the managed local agent cannot be deleted'),
          },
        },
      },
      '/api/v1/agents/{id}/actions': {
        parameters: [idParam],
        post: {
          summary: 'Start, stop or restart an agent (reaches a connected agent within 2 s)',
          requestBody: body('AgentActionBody'),
          responses: {
            '202': {
              description: 'accepted',
              content: json({ type: 'object', required: ['agent'], properties: { agent: ref('Agent') } }),
            },
            '400': problem('an invalid field'),
            ...authErrors,
            '403': problem('neither the owner nor an admin'),
            '404': problem('no such agent'),
          },
        },
      },
      '/api/v1/metrics': {
        get: {
          summary: 'Aggregated series (avg, min, max, p95 per step) from stored results',
          parameters: [
            query('agent_id', 'only this agent', { type: 'string', format: 'uuid' }),
            query('check_id', 'only this check'),
            query('metric', 'latency_ms (default) or a result metric such as loss_ratio'),
            query('from', 'ISO-8601 or epoch seconds; default: an hour before `to`'),
            query('to', 'ISO-8601 or epoch seconds; default: now'),
            query('step', 'seconds or a duration (10s, 1m); default: about 300 points'),
          ],
          responses: {
            '200': answer('series', 'MetricsResponse'),
            '400': problem('an invalid parameter'),
            ...authErrors,
          },
        },
      },
      '/api/v1/agents/link': {
        get: {
          summary: "The agents' control link (WebSocket)",
          description:
            'Agents dial in with `Authorization: Bearer nop_agt_…` (their own token, not a JWT) and speak the ' +
            'messages of protocol/src/link.ts: register, results batches and state from the agent; config, ' +
            'command, ack and error from the backend. A batch is acked after it is committed.',
          security: [{ agentToken: [] }],
          responses: {
            '101': { description: 'switching protocols' },
            '401': problem('missing or unknown agent token'),
          },
        },
      },
      '/ws/stream': {
        get: {
          summary: 'WebSocket of live results and agent status',
          description:
            'Authenticate with `Authorization: Bearer <JWT>`, or from a browser with the subprotocols ' +
            '`nop.v1` and `nop.jwt.<JWT>` (the server answers `nop.v1`). Frames are JSON StreamMessage ' +
            'objects: hello, result, agent. Closes with 1008 when the token expires.',
          responses: { '101': { description: 'switching protocols' }, ...authErrors },
        },
      },
      '/healthz': { get: { summary: 'The process is up', ...open, responses: { '200': { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'The database is reachable',
          ...open,
          responses: { '200': { description: 'ready' }, '503': problem('the database is not reachable') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics of this replica',
          ...open,
          responses: { '200': { description: 'text exposition format' } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        agentToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'an agent token (nop_agt_…), shown once at creation',
        },
      },
      schemas: {
        ...components(INPUTS, 'input'),
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
