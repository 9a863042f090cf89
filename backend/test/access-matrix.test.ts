import { readFileSync } from 'node:fs';
import type { Role } from '@nop/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../src/app.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { POLICY, type RoutePolicy } from '../src/http/policy.ts';
import { createJwtService } from '../src/modules/auth/jwt.ts';
import { createSecretCipher } from '../src/secrets/cipher.ts';
import { createTestApp, login, signup, TEST_PASSWORD, type TestApp, type TestUser } from './helpers/app.ts';
import { ENGINES, openTestDb } from './helpers/databases.ts';
import { inbox } from './helpers/ws.ts';

/**
 * The access-control matrix: every route of the policy table (backend/src/http/policy.ts) against
 * every kind of caller (nobody, a session of each role, an API token of each role). What each
 * route should allow is written down here, independently of the table, so a wrong entry in the
 * table fails a test instead of being mirrored by it.
 */

const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { 'x-nop-roles'?: string[]; responses: Record<string, unknown> }>>;
};

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Headers = Record<string, string>;

const toDocPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const toPolicyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Every operation of docs/openapi.json as "METHOD /path/:id". */
const documented = Object.entries(committed.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((k) => k !== 'parameters')
    .map((method) => `${method.toUpperCase()} ${toPolicyPath(path)}`),
);
const docOperation = (key: string) => {
  const [method, path] = key.split(' ') as [string, string];
  return committed.paths[toDocPath(path)]?.[method.toLowerCase()];
};
/** The success statuses the document promises for an operation. */
const documentedSuccess = (key: string) =>
  Object.keys(docOperation(key)?.responses ?? {})
    .filter((code) => /^2\d\d$/.test(code))
    .map(Number);

// ---- the callers ----

type Kind = 'anonymous' | 'session' | 'token';
interface CallerSpec {
  label: string;
  kind: Kind;
  role?: Role;
}
const ROLES: Role[] = ['viewer', 'editor', 'admin'];
const CALLERS: CallerSpec[] = [
  { label: 'anonymous', kind: 'anonymous' },
  ...ROLES.map((role) => ({ label: `${role} session`, kind: 'session' as const, role })),
  ...ROLES.map((role) => ({ label: `${role} API token`, kind: 'token' as const, role })),
];

// ---- the oracle: who may use each route, stated here on its own ----

const EVERYONE: Role[] = ['admin', 'editor', 'viewer'];
const EDITORS: Role[] = ['admin', 'editor'];
const ADMINS: Role[] = ['admin'];

const PUBLIC_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /*',
  'GET /api/v1/auth/options',
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/invitation',
  'POST /api/v1/auth/invitation/accept',
];
const AGENT_ROUTES = ['GET /api/v1/agents/link'];

/** What a cell needs while it runs: the app, the users of each role, their tokens. */
interface Ctx {
  t: TestApp;
  engine: string;
  users: Record<Role, TestUser>;
  tokens: Record<Role, { id: string; token: string; headers: Headers }>;
  /** an editor who owns the agents that are "someone else's" */
  other: TestUser;
  /** an agent owned by `other`, for reads */
  agentId: string;
  /** a user the admin renames */
  patchTargetId: string;
}

interface Caller extends CallerSpec {
  user?: TestUser;
  headers: Headers;
}

interface Req {
  method: Method;
  url: string;
  payload?: object;
  headers: Headers;
  /** after a refusal: is what the request would have destroyed or changed still intact? */
  intact?: () => Promise<boolean>;
}

interface Row {
  key: string;
  label: string;
  roles: Role[];
  session?: boolean;
  owner?: boolean;
  /** owner routes: whose agent the caller aims at */
  target?: 'own' | "someone else's";
  build: (ctx: Ctx, caller: Caller) => Promise<Req>;
}

let seq = 0;
const uniq = (prefix: string) => `${prefix}${++seq}`;
const emailFor = (ctx: Ctx, prefix: string) => `${uniq(prefix)}.${ctx.engine}@example.test`;

async function mint(ctx: Ctx, owner: { headers: Headers }, role?: Role) {
  const response = await ctx.t.app.inject({
    method: 'POST',
    url: '/api/v1/api-tokens',
    headers: owner.headers,
    payload: { name: uniq('token'), ...(role ? { role } : {}) },
  });
  if (response.statusCode !== 201) throw new Error(`minting an API token failed: ${response.body}`);
  const body = response.json() as { apiToken: { id: string; role: Role }; token: string };
  return { id: body.apiToken.id, role: body.apiToken.role, token: body.token, headers: bearer(body.token) };
}
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/** A credential of the caller's kind for the caller's user that the request may use up. */
async function freshHeaders(ctx: Ctx, caller: Caller): Promise<Headers> {
  if (caller.kind === 'anonymous') return {};
  const user = caller.user!;
  if (caller.kind === 'session') return (await login(ctx.t.app, user.email)).headers;
  return (await mint(ctx, user)).headers;
}

/** A new user (as the admin creates them), without signing in. */
async function newUser(ctx: Ctx, role: Role = 'viewer') {
  const email = emailFor(ctx, 'target');
  const response = await ctx.t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: ctx.users.admin.headers,
    payload: { name: 'Target', email, password: TEST_PASSWORD, role },
  });
  if (response.statusCode !== 201) throw new Error(`creating a user failed: ${response.body}`);
  return (response.json() as { id: string }).id;
}

/** A new agent owned by `ownerId`. */
async function newAgent(ctx: Ctx, ownerId: string) {
  const response = await ctx.t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: ctx.users.admin.headers,
    payload: { name: uniq('agent-'), type: 'ping', config: { checks: [] } },
  });
  if (response.statusCode !== 201) throw new Error(`creating an agent failed: ${response.body}`);
  const id = (response.json() as { agent: { id: string } }).agent.id;
  await ctx.t.db.query('UPDATE agents SET owner_id = $1 WHERE id = $2', [ownerId, id]);
  return id;
}

/** A new check owned by `ownerId`, assigned to no agent. */
async function newCheck(ctx: Ctx, ownerId: string) {
  const response = await ctx.t.app.inject({
    method: 'POST',
    url: '/api/v1/checks',
    headers: ctx.users.admin.headers,
    payload: { id: uniq('check-'), type: 'icmp', target: '127.0.0.1' },
  });
  if (response.statusCode !== 201) throw new Error(`creating a check failed: ${response.body}`);
  const id = (response.json() as { id: string }).id;
  await ctx.t.db.query('UPDATE checks SET owner_id = $1 WHERE id = $2', [ownerId, id]);
  return id;
}

const exists = async (ctx: Ctx, url: string) =>
  (await ctx.t.app.inject({ url, headers: ctx.users.admin.headers })).statusCode === 200;

/** Whose agent an owner-route cell aims at: the caller's user's own, or `other`'s. */
const ownerFor = (ctx: Ctx, caller: Caller, target: Row['target']) =>
  target === 'own' && caller.user ? caller.user.user.id : ctx.other.user.id;

const simple =
  (method: Method, url: string | ((ctx: Ctx) => string), payload?: (ctx: Ctx) => object) =>
  async (ctx: Ctx, caller: Caller): Promise<Req> => ({
    method,
    url: typeof url === 'string' ? url : url(ctx),
    payload: payload?.(ctx),
    headers: caller.headers,
  });

const BASE_ROWS: Row[] = [
  // signing in and out, the signed-in user
  {
    key: 'POST /api/v1/auth/logout',
    label: 'POST /api/v1/auth/logout',
    roles: EVERYONE,
    session: true,
    // ends the credential it comes with: a fresh one each time
    build: async (ctx, caller) => ({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: await freshHeaders(ctx, caller),
    }),
  },
  { key: 'GET /api/v1/auth/me', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/auth/me') },
  {
    key: 'PATCH /api/v1/auth/me',
    label: '',
    roles: EVERYONE,
    build: simple('PATCH', '/api/v1/auth/me', () => ({ name: uniq('Renamed ') })),
  },
  {
    key: 'POST /api/v1/auth/password',
    label: '',
    roles: EVERYONE,
    session: true,
    // ends every session of the user: a throwaway user of the caller's role
    build: async (ctx, caller) => {
      let headers: Headers = {};
      if (caller.kind !== 'anonymous') {
        const person = await signup(ctx.t.app, uniq('Password'), caller.role);
        headers = caller.kind === 'session' ? person.headers : (await mint(ctx, person)).headers;
      }
      return {
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' },
        headers,
      };
    },
  },
  {
    key: 'GET /api/v1/auth/sessions',
    label: '',
    roles: EVERYONE,
    session: true,
    build: simple('GET', '/api/v1/auth/sessions'),
  },
  {
    key: 'DELETE /api/v1/auth/sessions',
    label: '',
    roles: EVERYONE,
    session: true,
    // "sign out everywhere else" ends every other session of the user: asked by a throwaway user of
    // the caller's role and kind, so the shared callers' sessions survive; that user's other session goes
    build: async (ctx, caller) => {
      const role = caller.user?.user.role ?? 'viewer';
      const { rows } = await ctx.t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
        await newUser(ctx, role),
      ]);
      const other = await login(ctx.t.app, rows[0]!.email);
      const asking = await login(ctx.t.app, rows[0]!.email);
      const headers =
        caller.kind === 'anonymous'
          ? {}
          : caller.kind === 'session'
            ? asking.headers
            : (await mint(ctx, asking)).headers;
      return {
        method: 'DELETE',
        url: '/api/v1/auth/sessions',
        headers,
        intact: async () =>
          (await ctx.t.app.inject({ url: '/api/v1/auth/me', headers: other.headers })).statusCode === 200,
      };
    },
  },
  {
    key: 'DELETE /api/v1/auth/sessions/:id',
    label: '',
    roles: EVERYONE,
    session: true,
    // another (new) session of the caller's user
    build: async (ctx, caller) => {
      const owner = caller.user ?? ctx.users.viewer;
      const session = await login(ctx.t.app, owner.email);
      const sessionId = await sessionIdOf(ctx, session);
      return {
        method: 'DELETE',
        url: `/api/v1/auth/sessions/${sessionId}`,
        headers: caller.headers,
        intact: async () =>
          (await ctx.t.app.inject({ url: '/api/v1/auth/me', headers: session.headers })).statusCode === 200,
      };
    },
  },

  // API tokens
  {
    key: 'GET /api/v1/api-tokens',
    label: '',
    roles: EVERYONE,
    session: true,
    build: simple('GET', '/api/v1/api-tokens'),
  },
  {
    key: 'POST /api/v1/api-tokens',
    label: '',
    roles: EVERYONE,
    session: true,
    build: simple('POST', '/api/v1/api-tokens', () => ({ name: uniq('matrix token ') })),
  },
  {
    key: 'DELETE /api/v1/api-tokens/:id',
    label: '',
    roles: EVERYONE,
    session: true,
    // a new token of the caller's user
    build: async (ctx, caller) => {
      const owner = caller.user ?? ctx.users.viewer;
      const target = await mint(ctx, owner);
      return {
        method: 'DELETE',
        url: `/api/v1/api-tokens/${target.id}`,
        headers: caller.headers,
        intact: async () =>
          (await ctx.t.app.inject({ url: '/api/v1/auth/me', headers: target.headers })).statusCode === 200,
      };
    },
  },

  // users, invitations, audit: admins
  { key: 'GET /api/v1/users', label: '', roles: ADMINS, build: simple('GET', '/api/v1/users') },
  {
    key: 'POST /api/v1/users',
    label: '',
    roles: ADMINS,
    build: simple('POST', '/api/v1/users', (ctx) => ({
      name: 'Created',
      email: emailFor(ctx, 'created'),
      password: TEST_PASSWORD,
      role: 'viewer',
    })),
  },
  {
    key: 'GET /api/v1/users/:id',
    label: '',
    roles: ADMINS,
    build: simple('GET', (ctx) => `/api/v1/users/${ctx.users.viewer.user.id}`),
  },
  {
    key: 'PATCH /api/v1/users/:id',
    label: '',
    roles: ADMINS,
    build: simple(
      'PATCH',
      (ctx) => `/api/v1/users/${ctx.patchTargetId}`,
      () => ({ name: uniq('Patched ') }),
    ),
  },
  {
    key: 'DELETE /api/v1/users/:id',
    label: '',
    roles: ADMINS,
    build: async (ctx, caller) => {
      const id = await newUser(ctx);
      return {
        method: 'DELETE',
        url: `/api/v1/users/${id}`,
        headers: caller.headers,
        intact: () => exists(ctx, `/api/v1/users/${id}`),
      };
    },
  },
  {
    key: 'DELETE /api/v1/users/:id/sessions',
    label: '',
    roles: ADMINS,
    // a new user, signed in once: that session is what the request would end
    build: async (ctx, caller) => {
      const id = await newUser(ctx);
      const { rows } = await ctx.t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [id]);
      const session = await login(ctx.t.app, rows[0]!.email);
      return {
        method: 'DELETE',
        url: `/api/v1/users/${id}/sessions`,
        headers: caller.headers,
        intact: async () =>
          (await ctx.t.app.inject({ url: '/api/v1/auth/me', headers: session.headers })).statusCode === 200,
      };
    },
  },
  { key: 'GET /api/v1/invitations', label: '', roles: ADMINS, build: simple('GET', '/api/v1/invitations') },
  {
    key: 'POST /api/v1/invitations',
    label: '',
    roles: ADMINS,
    build: simple('POST', '/api/v1/invitations', (ctx) => ({
      email: emailFor(ctx, 'invited'),
      role: 'viewer',
      expiresInHours: 24,
    })),
  },
  {
    key: 'DELETE /api/v1/invitations/:id',
    label: '',
    roles: ADMINS,
    build: async (ctx, caller) => {
      const created = await ctx.t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations',
        headers: ctx.users.admin.headers,
        payload: { email: emailFor(ctx, 'revoked'), role: 'viewer', expiresInHours: 24 },
      });
      if (created.statusCode !== 201) throw new Error(`creating an invitation failed: ${created.body}`);
      const { invitation, token } = created.json() as { invitation: { id: string }; token: string };
      return {
        method: 'DELETE',
        url: `/api/v1/invitations/${invitation.id}`,
        headers: caller.headers,
        intact: async () =>
          (await ctx.t.app.inject({ method: 'POST', url: '/api/v1/auth/invitation', payload: { token } }))
            .statusCode === 200,
      };
    },
  },
  { key: 'GET /api/v1/audit-log', label: '', roles: ADMINS, build: simple('GET', '/api/v1/audit-log') },

  // agents: everyone reads, editors create, owners (or admins) change
  { key: 'GET /api/v1/agents', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/agents') },
  {
    key: 'POST /api/v1/agents',
    label: '',
    roles: EDITORS,
    build: simple('POST', '/api/v1/agents', () => ({ name: uniq('created-'), type: 'ping', config: { checks: [] } })),
  },
  {
    key: 'GET /api/v1/agents/:id',
    label: '',
    roles: EVERYONE,
    build: simple('GET', (ctx) => `/api/v1/agents/${ctx.agentId}`),
  },
  ...(["someone else's", 'own'] as const).flatMap((target): Row[] => [
    {
      key: 'PATCH /api/v1/agents/:id',
      label: `PATCH /api/v1/agents/:id (${target} agent)`,
      roles: EDITORS,
      owner: true,
      target,
      build: async (ctx, caller) => {
        const id = await newAgent(ctx, ownerFor(ctx, caller, target));
        const name = uniq('patched-');
        return {
          method: 'PATCH',
          url: `/api/v1/agents/${id}`,
          payload: { name },
          headers: caller.headers,
          intact: async () =>
            (await ctx.t.app.inject({ url: `/api/v1/agents/${id}`, headers: ctx.users.admin.headers })).json().name !==
            name,
        };
      },
    },
    {
      key: 'DELETE /api/v1/agents/:id',
      label: `DELETE /api/v1/agents/:id (${target} agent)`,
      roles: EDITORS,
      owner: true,
      target,
      build: async (ctx, caller) => {
        const id = await newAgent(ctx, ownerFor(ctx, caller, target));
        return {
          method: 'DELETE',
          url: `/api/v1/agents/${id}`,
          headers: caller.headers,
          intact: () => exists(ctx, `/api/v1/agents/${id}`),
        };
      },
    },
    {
      key: 'POST /api/v1/agents/:id/actions',
      label: `POST /api/v1/agents/:id/actions (${target} agent)`,
      roles: EDITORS,
      owner: true,
      target,
      build: async (ctx, caller) => {
        const id = await newAgent(ctx, ownerFor(ctx, caller, target));
        return {
          method: 'POST',
          url: `/api/v1/agents/${id}/actions`,
          payload: { action: 'stop' },
          headers: caller.headers,
          intact: async () =>
            (await ctx.t.app.inject({ url: `/api/v1/agents/${id}`, headers: ctx.users.admin.headers })).json()
              .desiredState === 'running',
        };
      },
    },
  ]),

  // checks: everyone reads, editors create and clone, owners (or admins) change
  { key: 'GET /api/v1/checks', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/checks') },
  {
    key: 'POST /api/v1/checks',
    label: '',
    roles: EDITORS,
    build: simple('POST', '/api/v1/checks', () => ({ id: uniq('created-check-'), type: 'icmp', target: '127.0.0.1' })),
  },
  {
    key: 'GET /api/v1/checks/:id',
    label: '',
    roles: EVERYONE,
    build: async (ctx, caller) => ({
      method: 'GET',
      url: `/api/v1/checks/${await newCheck(ctx, ctx.other.user.id)}`,
      headers: caller.headers,
    }),
  },
  {
    key: 'POST /api/v1/checks/:id/clone',
    label: '',
    roles: EDITORS,
    build: async (ctx, caller) => ({
      method: 'POST',
      url: `/api/v1/checks/${await newCheck(ctx, ctx.other.user.id)}/clone`,
      payload: {},
      headers: caller.headers,
    }),
  },
  ...(["someone else's", 'own'] as const).flatMap((target): Row[] => [
    {
      key: 'PATCH /api/v1/checks/:id',
      label: `PATCH /api/v1/checks/:id (${target} check)`,
      roles: EDITORS,
      owner: true,
      target,
      build: async (ctx, caller) => {
        const id = await newCheck(ctx, ownerFor(ctx, caller, target));
        return {
          method: 'PATCH',
          url: `/api/v1/checks/${id}`,
          payload: { interval: '42s' },
          headers: caller.headers,
          intact: async () =>
            (await ctx.t.app.inject({ url: `/api/v1/checks/${id}`, headers: ctx.users.admin.headers })).json()
              .interval !== 42_000,
        };
      },
    },
    {
      key: 'DELETE /api/v1/checks/:id',
      label: `DELETE /api/v1/checks/:id (${target} check)`,
      roles: EDITORS,
      owner: true,
      target,
      build: async (ctx, caller) => {
        const id = await newCheck(ctx, ownerFor(ctx, caller, target));
        return {
          method: 'DELETE',
          url: `/api/v1/checks/${id}`,
          headers: caller.headers,
          intact: () => exists(ctx, `/api/v1/checks/${id}`),
        };
      },
    },
    {
      key: 'POST /api/v1/checks/:id/actions',
      label: `POST /api/v1/checks/:id/actions (${target} check)`,
      roles: EDITORS,
      owner: true,
      target,
      build: async (ctx, caller) => {
        const id = await newCheck(ctx, ownerFor(ctx, caller, target));
        return {
          method: 'POST',
          url: `/api/v1/checks/${id}/actions`,
          payload: { action: 'disable' },
          headers: caller.headers,
          intact: async () =>
            (await ctx.t.app.inject({ url: `/api/v1/checks/${id}`, headers: ctx.users.admin.headers })).json()
              .enabled === true,
        };
      },
    },
  ]),

  // data
  { key: 'GET /api/v1/metrics', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/metrics') },
  {
    key: 'GET /api/v1/metrics/summary',
    label: '',
    roles: EVERYONE,
    build: simple('GET', '/api/v1/metrics/summary'),
  },
  { key: 'GET /api/v1/results', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/results') },
  { key: 'GET /api/v1/results/export', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/results/export') },
  { key: 'GET /api/v1/results/latest', label: '', roles: EVERYONE, build: simple('GET', '/api/v1/results/latest') },

  // GraphQL: everyone reads (its subscriptions are the GET's WebSocket upgrade)
  {
    key: 'POST /graphql',
    label: '',
    roles: EVERYONE,
    build: simple('POST', '/graphql', () => ({ query: '{ agents { items { id } } checks { items { id } } }' })),
  },
  { key: 'GET /graphql', label: '', roles: EVERYONE, build: simple('GET', '/graphql?query=%7B__typename%7D') },
];
const REST_ROWS: Row[] = BASE_ROWS.map((row) => ({ ...row, label: row.label || row.key }));

/** The stream is in the matrix too, over real WebSockets (an inject cannot upgrade). */
const STREAM_ROUTE: Pick<Row, 'key' | 'roles' | 'session' | 'owner'> = { key: 'GET /ws/stream', roles: EVERYONE };

/** The routes the matrix walks (owner routes once, whichever agent they aim at). */
const MATRIX_ROUTES = [...new Set([...REST_ROWS.map((r) => r.key), STREAM_ROUTE.key])];
const ROWS_COUNT = REST_ROWS.length + 1;
const CELLS = ROWS_COUNT * CALLERS.length;
const MATRIX_SIZE =
  `${MATRIX_ROUTES.length} routes (${ROWS_COUNT} rows with the owner routes aimed at an own and at ` +
  `someone else's agent) × ${CALLERS.length} callers = ${CELLS} cells`;

async function sessionIdOf(ctx: Ctx, session: TestUser) {
  const list = await ctx.t.app.inject({ url: '/api/v1/auth/sessions?limit=200', headers: session.headers });
  const current = (list.json() as { items: { id: string; current: boolean }[] }).items.find((s) => s.current);
  if (!current) throw new Error(`no current session in ${list.body}`);
  return current.id;
}

type Expectation = { status: 401 | 403; why: string } | { status: '2xx'; why: string };

/** What a caller should get from a row: from the oracle above, not from the policy table. */
function expectation(
  row: { roles: Role[]; session?: boolean; owner?: boolean; target?: string },
  caller: CallerSpec,
): Expectation {
  if (caller.kind === 'anonymous') return { status: 401, why: 'no credential' };
  const role = caller.role!;
  if (!row.roles.includes(role)) return { status: 403, why: `role ${role} not in ${row.roles.join('/')}` };
  if (row.session && caller.kind === 'token') return { status: 403, why: 'needs a session, not an API token' };
  if (row.owner && row.target !== 'own' && role !== 'admin')
    return { status: 403, why: `a ${role} on an agent someone else owns` };
  return { status: '2xx', why: 'allowed' };
}

/** A problem+json refusal of the given status, or a description of what is wrong with it. */
function refusalProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
): string | undefined {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return `content-type ${type || '(none)'}, not problem+json`;
  let body: { status?: number; title?: string; detail?: string };
  try {
    body = JSON.parse(response.body);
  } catch {
    return 'body is not JSON';
  }
  if (body.status !== status || !body.title || !body.detail) return `problem body lacks status ${status}/title/detail`;
  if (status === 401 && !String(response.headers['www-authenticate'] ?? '').startsWith('Bearer'))
    return '401 without WWW-Authenticate: Bearer';
  return undefined;
}

interface Cell {
  route: string;
  caller: string;
  expected: string;
  got: number;
  body: string;
}
const show = (failures: Cell[]) =>
  failures.map((f) => `${f.route} as ${f.caller}: expected ${f.expected}, got ${f.got} ${f.body.slice(0, 300)}`);

// ---------------------------------------------------------------------------------------------

describe('the policy table covers every route', () => {
  it('every operation of docs/openapi.json has a policy entry, with the same roles as x-nop-roles', () => {
    const missing = documented.filter((key) => !POLICY[key]);
    expect(missing, 'operations without a policy').toEqual([]);
    const stated = (policy: RoutePolicy) =>
      policy.access === 'public' ? ['anyone'] : policy.access === 'agent' ? ['agent'] : [...policy.roles];
    const mismatched = documented
      .filter((key) => POLICY[key])
      .map((key) => ({ key, doc: docOperation(key)?.['x-nop-roles'], policy: stated(POLICY[key]!) }))
      .filter(({ doc, policy }) => JSON.stringify([...(doc ?? [])].sort()) !== JSON.stringify([...policy].sort()));
    expect(mismatched).toEqual([]);
  });

  it("every policy entry (but the dashboard's GET /*) is a documented operation", () => {
    const undocumented = Object.keys(POLICY).filter((key) => key !== 'GET /*' && !documented.includes(key));
    expect(undocumented).toEqual([]);
  });

  it('session-only operations are documented as needing the bearer (session JWT) scheme only', () => {
    for (const [key, policy] of Object.entries(POLICY)) {
      if (policy.access !== 'roles' || key === 'GET /ws/stream') continue;
      const op = docOperation(key) as { security?: unknown } | undefined;
      if (policy.session) expect(op?.security, key).toEqual([{ bearer: [] }]);
      else expect(op?.security, key).toBeUndefined();
    }
  });

  it('every route the app serves has a policy entry', async () => {
    const test = await openTestDb('pglite');
    const served = new Set<string>();
    const app = await buildApp({
      config: { NOP_AUTH_RATE_LIMIT: 10, NOP_PUBLIC_URL: undefined },
      db: test.db,
      bus: createMemoryBus(),
      jwt: createJwtService('x'.repeat(32), 60),
      cipher: createSecretCipher('x'.repeat(32)),
      onRoute: (method, url) => served.add(`${method === 'HEAD' ? 'GET' : method} ${url}`),
    });
    await app.close();
    await test.cleanup();
    expect([...served].filter((key) => !POLICY[key])).toEqual([]);
  });

  it('grants what the access model says: the policy table agrees with this matrix, route by route', () => {
    const oracle: Record<string, object> = {};
    for (const key of PUBLIC_ROUTES) oracle[key] = { access: 'public' };
    for (const key of AGENT_ROUTES) oracle[key] = { access: 'agent' };
    for (const row of [...REST_ROWS, STREAM_ROUTE])
      oracle[row.key] = {
        access: 'roles',
        roles: [...row.roles].sort(),
        session: !!row.session,
        owner: !!row.owner,
      };
    const table = Object.fromEntries(
      Object.entries(POLICY).map(([key, policy]) => [
        key,
        policy.access === 'roles'
          ? { access: 'roles', roles: [...policy.roles].sort(), session: !!policy.session, owner: !!policy.owner }
          : { access: policy.access },
      ]),
    );
    expect(table).toEqual(oracle);
    // and the matrix walks every route the table gives to users
    const userRoutes = Object.entries(POLICY)
      .filter(([, policy]) => policy.access === 'roles')
      .map(([key]) => key);
    expect([...MATRIX_ROUTES].sort()).toEqual(userRoutes.sort());
  });
});

describe.each(ENGINES)('access matrix on %s', (engine) => {
  const ctx = { engine } as Ctx;
  let base: string;
  let checked = 0;
  const callers = new Map<string, Caller>();

  beforeAll(async () => {
    ctx.t = await createTestApp(engine);
    // routes the policy table does not know, added before the app is ready
    ctx.t.app.get('/api/v1/unlisted', async () => ({ reached: true }));
    ctx.t.app.post('/api/v1/unlisted', async () => ({ reached: true }));
    ctx.t.app.put('/api/v1/agents/:id', async () => ({ reached: true }));
    await ctx.t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `ws://127.0.0.1:${(ctx.t.app.server.address() as { port: number }).port}`;

    const admin = await signup(ctx.t.app, 'Admin', 'admin');
    const [viewer, editor, other] = await Promise.all([
      signup(ctx.t.app, 'Viewer', 'viewer'),
      signup(ctx.t.app, 'Editor', 'editor'),
      signup(ctx.t.app, 'Other', 'editor'),
    ]);
    ctx.users = { admin, editor, viewer };
    ctx.other = other;
    ctx.tokens = {} as Ctx['tokens'];
    for (const role of ROLES) {
      const minted = await mint(ctx, ctx.users[role]);
      if (minted.role !== role) throw new Error(`a ${role}'s token defaulted to ${minted.role}`);
      ctx.tokens[role] = minted;
    }
    ctx.agentId = await newAgent(ctx, other.user.id);
    ctx.patchTargetId = await newUser(ctx);
    for (const spec of CALLERS) {
      const user = spec.role ? ctx.users[spec.role] : undefined;
      const headers =
        spec.kind === 'session' ? user!.headers : spec.kind === 'token' ? ctx.tokens[spec.role!].headers : {};
      callers.set(spec.label, { ...spec, user, headers });
    }
  });
  afterAll(() => ctx.t?.close());

  const call = (method: Method, url: string, headers: Headers = {}, payload?: object) =>
    ctx.t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('refuses routes the policy table does not list with 403 problem+json, whoever asks', async () => {
    const failures: Cell[] = [];
    for (const [method, url] of [
      ['GET', '/api/v1/unlisted'],
      ['HEAD', '/api/v1/unlisted'],
      ['POST', '/api/v1/unlisted'],
      ['PUT', `/api/v1/agents/${ctx.agentId}`],
    ] as const)
      for (const caller of callers.values()) {
        const response = await ctx.t.app.inject({
          method,
          url,
          headers: caller.headers,
          ...(method === 'POST' || method === 'PUT' ? { payload: {} } : {}),
        });
        const wrong = response.statusCode !== 403 || (method !== 'HEAD' && refusalProblem(response, 403));
        if (wrong)
          failures.push({
            route: `${method} ${url}`,
            caller: caller.label,
            expected: '403 problem+json',
            got: response.statusCode,
            body: `${typeof wrong === 'string' ? `[${wrong}] ` : ''}${response.body}`,
          });
      }
    expect(show(failures)).toEqual([]);
  });

  it('lets anyone use the public routes', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/api/v1/auth/options'])
      expect((await call('GET', url)).statusCode, url).toBe(200);
  });

  describe(`the matrix: ${MATRIX_SIZE}`, () => {
    it.each(REST_ROWS.map((row) => [row.label, row] as const))('%s', async (_label, row) => {
      const success = documentedSuccess(row.key);
      expect(success.length, `documented 2xx of ${row.key}`).toBeGreaterThan(0);
      const failures: Cell[] = [];
      for (const caller of callers.values()) {
        const want = expectation(row, caller);
        const request = await row.build(ctx, caller);
        const response = await ctx.t.app.inject({
          method: request.method,
          url: request.url,
          headers: request.headers,
          ...(request.payload ? { payload: request.payload } : {}),
        });
        checked++;
        const cell = { route: row.label, caller: caller.label, got: response.statusCode, body: response.body };
        if (want.status === '2xx') {
          if (!success.includes(response.statusCode))
            failures.push({ ...cell, expected: `${success.join('/')} (${want.why})` });
          continue;
        }
        const wrong = response.statusCode === want.status ? refusalProblem(response, want.status) : 'status';
        if (wrong)
          failures.push({
            ...cell,
            expected: `${want.status} problem+json (${want.why})`,
            body: wrong === 'status' ? cell.body : `[${wrong}] ${cell.body}`,
          });
        else if (request.intact && !(await request.intact()))
          failures.push({ ...cell, expected: `${want.status} with the target left intact (${want.why})` });
      }
      expect(show(failures)).toEqual([]);
    });

    it('GET /ws/stream (WebSocket upgrade)', async () => {
      const failures: Cell[] = [];
      for (const caller of callers.values()) {
        const want = expectation(STREAM_ROUTE, caller);
        const outcome = await upgrade(`${base}/ws/stream`, { headers: caller.headers });
        checked++;
        const cell = { route: STREAM_ROUTE.key, caller: caller.label };
        if (want.status === '2xx') {
          if ('socket' in outcome) {
            const hello = await outcome.next((m) => m.type === 'hello').catch((e: Error) => e);
            outcome.socket.close();
            // the user's name as it is now (the matrix renames users on PATCH /api/v1/auth/me)
            const name = (await call('GET', '/api/v1/auth/me', caller.user!.headers)).json().name;
            if (hello instanceof Error || hello.user !== name)
              failures.push({
                ...cell,
                expected: `a hello frame for ${name}`,
                got: 101,
                body: hello instanceof Error ? hello.message : JSON.stringify(hello),
              });
          } else failures.push({ ...cell, expected: '101 and a hello frame', got: outcome.status, body: outcome.body });
        } else if ('socket' in outcome) {
          outcome.socket.close();
          failures.push({ ...cell, expected: `${want.status} (${want.why})`, got: 101, body: '' });
        } else {
          const wrong = outcome.status === want.status ? refusalProblem(outcome.response, want.status) : 'status';
          if (wrong)
            failures.push({
              ...cell,
              expected: `${want.status} problem+json (${want.why})`,
              got: outcome.status,
              body: outcome.body,
            });
        }
      }
      expect(show(failures)).toEqual([]);
    });

    it(`checked every cell: ${CELLS}`, () => {
      console.log(`access matrix on ${engine}: checked ${MATRIX_SIZE}`);
      expect(checked).toBe(CELLS);
    });
  });

  describe('WebSockets', () => {
    it('opens the stream with the browser subprotocol for every role, session or API token', async () => {
      for (const caller of callers.values()) {
        if (caller.kind === 'anonymous') continue;
        const token = caller.headers.authorization!.slice('Bearer '.length);
        const outcome = await upgrade(`${base}/ws/stream`, { protocols: ['nop.v1', `nop.jwt.${token}`] });
        expect('socket' in outcome, `${caller.label}: ${'body' in outcome ? outcome.body : ''}`).toBe(true);
        if (!('socket' in outcome)) continue;
        expect(outcome.socket.protocol).toBe('nop.v1');
        await outcome.next((m) => m.type === 'hello');
        outcome.socket.close();
      }
    });

    it('refuses the stream to a garbage credential (401)', async () => {
      for (const options of [
        { headers: bearer('garbage') },
        { headers: bearer('nop_pat_garbage') },
        { protocols: ['nop.v1', 'nop.jwt.garbage'] },
      ]) {
        const outcome = await upgrade(`${base}/ws/stream`, options);
        expect('status' in outcome ? outcome.status : 101, JSON.stringify(options)).toBe(401);
      }
    });

    it('refuses the agent link a user credential (401): it takes agent tokens only', async () => {
      for (const caller of callers.values()) {
        const outcome = await upgrade(`${base}/api/v1/agents/link`, { headers: caller.headers });
        if ('socket' in outcome) outcome.socket.close();
        expect('status' in outcome ? outcome.status : 101, caller.label).toBe(401);
      }
    });
  });

  describe('API tokens', () => {
    const expectRefusal = async (
      response: { statusCode: number; headers: Record<string, unknown>; body: string },
      status: 401 | 403,
      what: string,
    ) => {
      expect(response.statusCode, `${what}: ${response.body}`).toBe(status);
      expect(refusalProblem(response, status), what).toBeUndefined();
    };

    it('refuses a garbage or malformed bearer with 401 problem+json', async () => {
      const foreignJwt = await new SignJWT({ tv: 0, sid: '00000000-0000-4000-8000-000000000000' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(ctx.users.admin.user.id)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another secret, not the one the server signs with'));
      for (const authorization of [
        'Bearer garbage',
        'Bearer nop_pat_0000000000000000000000000000000000000000',
        `Bearer ${foreignJwt}`,
        `Bearer ${ctx.users.admin.token}x`,
        'Basic YWRtaW46YWRtaW4=',
        'Bearer',
      ])
        await expectRefusal(await call('GET', '/api/v1/agents', { authorization }), 401, authorization);
    });

    it('a viewer-scoped token of an admin acts as a viewer', async () => {
      const token = await mint(ctx, ctx.users.admin, 'viewer');
      expect(token.role).toBe('viewer');
      expect((await call('GET', '/api/v1/agents', token.headers)).statusCode).toBe(200);
      const me = await call('GET', '/api/v1/auth/me', token.headers);
      expect(me.json()).toMatchObject({ id: ctx.users.admin.user.id });
      await expectRefusal(await call('GET', '/api/v1/users', token.headers), 403, 'GET users');
      await expectRefusal(await call('GET', '/api/v1/audit-log', token.headers), 403, 'GET audit-log');
      await expectRefusal(
        await call('POST', '/api/v1/agents', token.headers, { name: uniq('scoped-'), type: 'ping' }),
        403,
        'POST agents',
      );
      await expectRefusal(
        await call('POST', `/api/v1/agents/${ctx.agentId}/actions`, token.headers, { action: 'stop' }),
        403,
        'agent action',
      );
    });

    it("an admin's editor-scoped token cannot reach admin routes, and acts on others' agents as an editor", async () => {
      const token = await mint(ctx, ctx.users.admin, 'editor');
      expect(token.role).toBe('editor');
      await expectRefusal(await call('GET', '/api/v1/users', token.headers), 403, 'GET users');
      await expectRefusal(
        await call('POST', '/api/v1/invitations', token.headers, { email: emailFor(ctx, 'scoped') }),
        403,
        'POST invitations',
      );
      await expectRefusal(
        await call('DELETE', `/api/v1/users/${ctx.patchTargetId}`, token.headers),
        403,
        'DELETE user',
      );
      const created = await call('POST', '/api/v1/agents', token.headers, { name: uniq('scoped-'), type: 'ping' });
      expect(created.statusCode, created.body).toBe(201);
      // the admin created it, so it is theirs: the editor token may change it
      const own = created.json().agent.id as string;
      expect((await call('PATCH', `/api/v1/agents/${own}`, token.headers, { name: uniq('mine-') })).statusCode).toBe(
        200,
      );
      // someone else's agent: an editor may not, though the token's owner is an admin
      const theirs = await newAgent(ctx, ctx.other.user.id);
      await expectRefusal(await call('DELETE', `/api/v1/agents/${theirs}`, token.headers), 403, "others' agent");
      expect(await exists(ctx, `/api/v1/agents/${theirs}`)).toBe(true);
    });

    it('a token whose owner is demoted acts with the new role at once', async () => {
      const boss = await signup(ctx.t.app, 'Boss', 'admin');
      const token = await mint(ctx, boss);
      expect(token.role).toBe('admin');
      expect((await call('GET', '/api/v1/users', token.headers)).statusCode).toBe(200);
      const demote = (role: Role) =>
        call('PATCH', `/api/v1/users/${boss.user.id}`, ctx.users.admin.headers, { role }).then((r) =>
          expect(r.statusCode, r.body).toBe(200),
        );

      await demote('editor');
      await expectRefusal(await call('GET', '/api/v1/users', token.headers), 403, 'GET users as editor');
      const created = await call('POST', '/api/v1/agents', token.headers, { name: uniq('demoted-'), type: 'ping' });
      expect(created.statusCode, created.body).toBe(201);

      await demote('viewer');
      await expectRefusal(await call('GET', '/api/v1/users', token.headers), 403, 'GET users as viewer');
      await expectRefusal(
        await call('POST', '/api/v1/agents', token.headers, { name: uniq('demoted-'), type: 'ping' }),
        403,
        'POST agents as viewer',
      );
      expect((await call('GET', '/api/v1/agents', token.headers)).statusCode).toBe(200);
      // the stream still opens for a viewer
      const outcome = await upgrade(`${base}/ws/stream`, { headers: token.headers });
      expect('socket' in outcome).toBe(true);
      if ('socket' in outcome) outcome.socket.close();
    });

    it("a disabled or deleted owner's tokens are refused (401)", async () => {
      const disabled = await signup(ctx.t.app, 'Disabled', 'editor');
      const token = await mint(ctx, disabled);
      expect((await call('GET', '/api/v1/agents', token.headers)).statusCode).toBe(200);
      const off = await call('PATCH', `/api/v1/users/${disabled.user.id}`, ctx.users.admin.headers, { disabled: true });
      expect(off.statusCode, off.body).toBe(200);
      await expectRefusal(await call('GET', '/api/v1/agents', token.headers), 401, 'token of a disabled user');
      await expectRefusal(await call('GET', '/api/v1/agents', disabled.headers), 401, 'session of a disabled user');
      const outcome = await upgrade(`${base}/ws/stream`, { headers: token.headers });
      expect('status' in outcome ? outcome.status : 101).toBe(401);

      const deleted = await signup(ctx.t.app, 'Deleted', 'editor');
      const gone = await mint(ctx, deleted);
      expect((await call('GET', '/api/v1/agents', gone.headers)).statusCode).toBe(200);
      const removed = await call('DELETE', `/api/v1/users/${deleted.user.id}`, ctx.users.admin.headers);
      expect(removed.statusCode, removed.body).toBe(204);
      await expectRefusal(await call('GET', '/api/v1/agents', gone.headers), 401, 'token of a deleted user');
    });

    it('a revoked token is refused at once (401)', async () => {
      const token = await mint(ctx, ctx.users.editor);
      expect((await call('GET', '/api/v1/agents', token.headers)).statusCode).toBe(200);
      const revoked = await call('DELETE', `/api/v1/api-tokens/${token.id}`, ctx.users.editor.headers);
      expect(revoked.statusCode, revoked.body).toBe(204);
      await expectRefusal(await call('GET', '/api/v1/agents', token.headers), 401, 'revoked token');
      // a second revocation finds nothing to revoke
      expect((await call('DELETE', `/api/v1/api-tokens/${token.id}`, ctx.users.editor.headers)).statusCode).toBe(404);
    });

    it('an expired token is refused (401)', async () => {
      const token = await mint(ctx, ctx.users.viewer);
      await ctx.t.db.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [token.id]);
      await expectRefusal(await call('GET', '/api/v1/agents', token.headers), 401, 'expired token');
      const outcome = await upgrade(`${base}/ws/stream`, { headers: token.headers });
      expect('status' in outcome ? outcome.status : 101).toBe(401);
    });

    it('nobody mints a token above their own role (403); at or below it is fine', async () => {
      const { viewer, editor, admin } = ctx.users;
      for (const [owner, role] of [
        [viewer, 'editor'],
        [viewer, 'admin'],
        [editor, 'admin'],
      ] as const)
        await expectRefusal(
          await call('POST', '/api/v1/api-tokens', owner.headers, { name: uniq('too high '), role }),
          403,
          `${owner.user.role} minting ${role}`,
        );
      expect((await mint(ctx, editor, 'viewer')).role).toBe('viewer');
      expect((await mint(ctx, editor, 'editor')).role).toBe('editor');
      expect((await mint(ctx, admin, 'admin')).role).toBe('admin');
    });
  });
});

// ---- a WebSocket upgrade that reports a refusal's status, headers and body ----

type Upgrade =
  | { socket: WebSocket; next: ReturnType<typeof inbox>['next'] }
  | {
      status: number;
      body: string;
      response: { statusCode: number; headers: Record<string, unknown>; body: string };
    };

function upgrade(url: string, opts: { headers?: Headers; protocols?: string[] } = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers });
    const box = inbox(socket);
    socket.once('open', () => resolve({ socket, next: box.next }));
    socket.once('unexpected-response', (request, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        request.destroy();
        const status = res.statusCode ?? 0;
        resolve({ status, body, response: { statusCode: status, headers: res.headers, body } });
      });
    });
    socket.once('error', reject);
  });
}
