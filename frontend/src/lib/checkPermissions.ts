import { roleAtLeast } from '@nop/protocol';
import type { Actor, Verdict } from './permissions.ts';

/**
 * Who may do what to check objects, mirroring the backend's policy table: everyone reads; editors
 * and admins create and clone; changing, enabling/disabling and deleting is for the check's owner
 * or an admin.
 */
const YES: Verdict = { allowed: true };
const VIEWER = 'Your role is viewer: you can look but not change. Ask an admin for the editor role.';

export function canCreateChecks(user: Actor | null): Verdict {
  if (!user) return { allowed: false, reason: 'Sign in first.' };
  return roleAtLeast(user.role, 'editor') ? YES : { allowed: false, reason: VIEWER };
}

export function canChangeCheck(user: Actor | null, check: { ownerId: string | null }): Verdict {
  if (!user) return { allowed: false, reason: 'Sign in first.' };
  if (user.role === 'admin') return YES;
  if (user.role === 'viewer') return { allowed: false, reason: VIEWER };
  if (check.ownerId === user.id) return YES;
  if (check.ownerId === null)
    return { allowed: false, reason: 'Its creator’s account is gone: only admins can change it.' };
  return { allowed: false, reason: 'Another user created this check: only they or an admin can change it.' };
}
