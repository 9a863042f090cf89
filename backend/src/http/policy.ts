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

const PUBLIC = { access: 'public' } as const;
const EVERYONE = ['admin', 'editor', 'viewer'] as const;
const EDITORS = ['admin', 'editor'] as const;
const ADMINS = ['admin'] as const;

const read = { access: 'roles', roles: EVERYONE } as const;
const self = (action?: string, extra: { session?: boolean } = {}): RoutePolicy => ({
  access: 'roles',
  roles: EVERYONE,
  ...extra,
  ...(action ? { audit: { action, target: 'user' } } : {}),
});
const admin = (action?: string, target?: string): RoutePolicy => ({
  access: 'roles',
  roles: ADMINS,
  ...(action ? { audit: { action, target } } : {}),
});

export const POLICY: Readonly<Record<string, RoutePolicy>> = {
  // health and metrics of the process: orchestrators and Prometheus call them without a user
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /metrics': PUBLIC,
  // the dashboard's files (the app asks for a sign-in itself)
  'GET /*': PUBLIC,

  // signing in and out
  'GET /api/v1/auth/options': PUBLIC,
  'POST /api/v1/auth/signup': { access: 'public', audit: { action: 'auth.signup', target: 'user' } },
  'POST /api/v1/auth/login': { access: 'public', audit: { action: 'auth.login', target: 'user' } },
  'POST /api/v1/auth/invitation': PUBLIC,
  'POST /api/v1/auth/invitation/accept': {
    access: 'public',
    audit: { action: 'invitation.accept', target: 'invitation' },
  },
  'POST /api/v1/auth/logout': self('auth.logout', { session: true }),
  'GET /api/v1/auth/me': read,
  'PATCH /api/v1/auth/me': self('user.update'),
  'POST /api/v1/auth/password': self('auth.password', { session: true }),
  'GET /api/v1/auth/sessions': self(undefined, { session: true }),
  'DELETE /api/v1/auth/sessions/:id': {
    access: 'roles',
    roles: EVERYONE,
    session: true,
    audit: { action: 'session.revoke', target: 'session' },
  },

  // API tokens: each user manages their own
  'GET /api/v1/api-tokens': self(undefined, { session: true }),
  'POST /api/v1/api-tokens': {
    access: 'roles',
    roles: EVERYONE,
    session: true,
    audit: { action: 'api-token.create', target: 'api-token' },
  },
  'DELETE /api/v1/api-tokens/:id': {
    access: 'roles',
    roles: EVERYONE,
    session: true,
    audit: { action: 'api-token.revoke', target: 'api-token' },
  },

  // users and invitations: admins
  'GET /api/v1/users': admin(),
  'POST /api/v1/users': admin('user.create', 'user'),
  'GET /api/v1/users/:id': admin(),
  'PATCH /api/v1/users/:id': admin('user.update', 'user'),
  'DELETE /api/v1/users/:id': admin('user.delete', 'user'),
  'GET /api/v1/invitations': admin(),
  'POST /api/v1/invitations': admin('invitation.create', 'invitation'),
  'DELETE /api/v1/invitations/:id': admin('invitation.revoke', 'invitation'),
  'GET /api/v1/audit-log': admin(),

  // agents: everyone reads, editors create, owners (or admins) change
  'GET /api/v1/agents': read,
  'POST /api/v1/agents': { access: 'roles', roles: EDITORS, audit: { action: 'agent.create', target: 'agent' } },
  'GET /api/v1/agents/:id': read,
  'PATCH /api/v1/agents/:id': {
    access: 'roles',
    roles: EDITORS,
    owner: true,
    audit: { action: 'agent.update', target: 'agent' },
  },
  'DELETE /api/v1/agents/:id': {
    access: 'roles',
    roles: EDITORS,
    owner: true,
    audit: { action: 'agent.delete', target: 'agent' },
  },
  'POST /api/v1/agents/:id/actions': {
    access: 'roles',
    roles: EDITORS,
    owner: true,
    audit: { action: 'agent.action', target: 'agent' },
  },
  'GET /api/v1/agents/link': { access: 'agent' },

  // data
  'GET /api/v1/metrics': read,
  'GET /ws/stream': read,
};

/** The policy of a route, by Fastify's method and URL pattern; HEAD is its GET. */
export function policyFor(method: string, url: string | undefined): RoutePolicy | undefined {
  if (url === undefined) return undefined;
  return POLICY[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
