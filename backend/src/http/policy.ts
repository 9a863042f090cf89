import type { Role } from '@nop/protocol';

/**
 * Who may use each route, in one table. The auth guard looks every request up here: a route that
 * is not in the table is refused (403), whoever asks; a test fails when a route of
 * docs/openapi.json has no entry, and another walks every role against every entry.
 *
 * - `public`: anyone (sign-in, health, the dashboard's files).
 * - `agent`: the agents' link, which checks an agent token itself.
 * - `roles`: a signed-in user (session JWT or API token) whose role is listed. `owner: true` adds
 *   that a non-admin must own the target (an editor changes the agents they created).
 *   `session: true` refuses API tokens: managing tokens, sessions and the password needs a person.
 * - `audit`: the mutation is written to the audit log under this action name, about a target of
 *   this type (the route's :id unless the handler names it).
 */
export type RoutePolicy =
  | { access: 'public'; audit?: AuditSpec }
  | { access: 'agent' }
  | { access: 'roles'; roles: readonly Role[]; owner?: boolean; session?: boolean; audit?: AuditSpec };

export interface AuditSpec {
  action: string;
  target?: string;
}

const EVERYONE = ['admin', 'editor', 'viewer'] as const;
const EDITORS = ['admin', 'editor'] as const;
const ADMINS = ['admin'] as const;

type Audit = [action: string, target: string];
const audit = (spec?: Audit) => (spec ? { audit: { action: spec[0], target: spec[1] } } : {});

/** Anyone, signed in or not. */
const anyone = (spec?: Audit): RoutePolicy => ({ access: 'public', ...audit(spec) });
/** Signed-in users of these roles, by session or API token. */
const roles = (allowed: readonly Role[], spec?: Audit): RoutePolicy => ({
  access: 'roles',
  roles: allowed,
  ...audit(spec),
});
/** Any signed-in user, with a session (a person): not an API token. */
const person = (spec?: Audit): RoutePolicy => ({ access: 'roles', roles: EVERYONE, session: true, ...audit(spec) });
/** Editors on what they own, admins on everything. */
const owner = (spec: Audit): RoutePolicy => ({ access: 'roles', roles: EDITORS, owner: true, ...audit(spec) });

export const POLICY: Readonly<Record<string, RoutePolicy>> = {
  // health and metrics of the process: orchestrators and Prometheus call them without a user
  'GET /healthz': anyone(),
  'GET /readyz': anyone(),
  'GET /metrics': anyone(),
  // the dashboard's files (the app asks for a sign-in itself)
  'GET /*': anyone(),

  // signing in and out, and yourself
  'GET /api/v1/auth/options': anyone(),
  'POST /api/v1/auth/signup': anyone(['auth.signup', 'user']),
  'POST /api/v1/auth/login': anyone(['auth.login', 'user']),
  'POST /api/v1/auth/invitation': anyone(),
  'POST /api/v1/auth/invitation/accept': anyone(['invitation.accept', 'invitation']),
  'POST /api/v1/auth/logout': person(['auth.logout', 'user']),
  'GET /api/v1/auth/me': roles(EVERYONE),
  'PATCH /api/v1/auth/me': roles(EVERYONE, ['user.update', 'user']),
  'POST /api/v1/auth/password': person(['auth.password', 'user']),
  'GET /api/v1/auth/sessions': person(),
  'DELETE /api/v1/auth/sessions': person(['session.revoke-others', 'user']),
  'DELETE /api/v1/auth/sessions/:id': person(['session.revoke', 'session']),

  // API tokens: each user manages their own
  'GET /api/v1/api-tokens': person(),
  'POST /api/v1/api-tokens': person(['api-token.create', 'api-token']),
  'DELETE /api/v1/api-tokens/:id': person(['api-token.revoke', 'api-token']),

  // users, invitations and the audit log: admins
  'GET /api/v1/users': roles(ADMINS),
  'POST /api/v1/users': roles(ADMINS, ['user.create', 'user']),
  'GET /api/v1/users/:id': roles(ADMINS),
  'PATCH /api/v1/users/:id': roles(ADMINS, ['user.update', 'user']),
  'DELETE /api/v1/users/:id': roles(ADMINS, ['user.delete', 'user']),
  'DELETE /api/v1/users/:id/sessions': roles(ADMINS, ['user.sign-out', 'user']),
  'GET /api/v1/invitations': roles(ADMINS),
  'POST /api/v1/invitations': roles(ADMINS, ['invitation.create', 'invitation']),
  'DELETE /api/v1/invitations/:id': roles(ADMINS, ['invitation.revoke', 'invitation']),
  'GET /api/v1/audit-log': roles(ADMINS),

  // agents: everyone reads, editors create, owners (or admins) change
  'GET /api/v1/agents': roles(EVERYONE),
  'POST /api/v1/agents': roles(EDITORS, ['agent.create', 'agent']),
  'GET /api/v1/agents/:id': roles(EVERYONE),
  'PATCH /api/v1/agents/:id': owner(['agent.update', 'agent']),
  'DELETE /api/v1/agents/:id': owner(['agent.delete', 'agent']),
  'POST /api/v1/agents/:id/actions': owner(['agent.action', 'agent']),
  'GET /api/v1/agents/link': { access: 'agent' },

  // checks: everyone reads, editors create, owners (or admins) change
  'GET /api/v1/checks': roles(EVERYONE),
  'POST /api/v1/checks': roles(EDITORS, ['check.create', 'check']),
  'GET /api/v1/checks/:id': roles(EVERYONE),
  'PATCH /api/v1/checks/:id': owner(['check.update', 'check']),
  'DELETE /api/v1/checks/:id': owner(['check.delete', 'check']),
  'POST /api/v1/checks/:id/actions': owner(['check.action', 'check']),
  'POST /api/v1/checks/:id/clone': roles(EDITORS, ['check.clone', 'check']),

  // data
  'GET /api/v1/metrics': roles(EVERYONE),
  'GET /api/v1/metrics/summary': roles(EVERYONE),
  'GET /api/v1/results': roles(EVERYONE),
  'GET /api/v1/results/export': roles(EVERYONE),
  'GET /api/v1/results/latest': roles(EVERYONE),
  'GET /ws/stream': roles(EVERYONE),
  // GraphQL: reads only (queries, and subscriptions over the GET's WebSocket upgrade)
  'POST /graphql': roles(EVERYONE),
  'GET /graphql': roles(EVERYONE),
};

/** The policy of a route, by Fastify's method and URL pattern; HEAD is its GET. */
export function policyFor(method: string, url: string | undefined): RoutePolicy | undefined {
  if (url === undefined) return undefined;
  return POLICY[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
