import { roleAtLeast, type Role } from '@nop/protocol';
import { ROLES } from './roles.ts';

/**
 * What the signed-in user may do, mirroring the backend's policy table (backend/src/http/policy.ts)
 * so the dashboard leaves out controls that would only earn a 403. The backend still decides: this
 * is about not offering what cannot work, and saying why.
 */
export interface Verdict {
  allowed: boolean;
  /** why not, in words for a tooltip or a note; absent when allowed */
  reason?: string;
}

const YES: Verdict = { allowed: true };
const no = (reason: string): Verdict => ({ allowed: false, reason });

const VIEWER_REASON = 'Your role is viewer: you can look but not change. Ask an admin for the editor role.';

export interface Actor {
  id: string;
  role: Role;
}

/** Editors and admins create agents. */
export function canCreateAgents(user: Actor): Verdict {
  return roleAtLeast(user.role, 'editor') ? YES : no(VIEWER_REASON);
}

/**
 * Edit checks, start/stop/restart and delete: admins on every agent, editors on the agents they
 * created (the server-managed agent has no owner, so only admins), viewers on none.
 */
export function canChangeAgent(user: Actor, agent: { ownerId: string | null; managed: boolean }): Verdict {
  if (user.role === 'admin') return YES;
  if (user.role === 'viewer') return no(VIEWER_REASON);
  if (agent.ownerId === user.id) return YES;
  if (agent.managed) return no('Only admins change the agent the server runs itself.');
  // an agent whose creator was deleted keeps running, owned by nobody
  if (agent.ownerId === null) return no('Its creator’s account is gone: only admins can change it.');
  return no('Another user created this agent: only they or an admin can change it.');
}

/** Users, invitations and the audit log. */
export function isAdmin(user: Actor | null | undefined): boolean {
  return user?.role === 'admin';
}

/** The roles an API token of this user may get: none above the user's own. */
export function tokenRolesFor(role: Role): Role[] {
  return ROLES.filter((r) => roleAtLeast(role, r));
}
