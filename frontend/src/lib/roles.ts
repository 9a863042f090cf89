import type { Role } from '@nop/protocol';
import type { Tone } from '../components/ui/Badge.tsx';

/** The roles in the order pickers list them, most rights first. */
export const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

/** One line per role for pickers and hints; the backend's policy table is the authority. */
export const ROLE_SUMMARY: Record<Role, string> = {
  admin: 'everything, users and the audit log too',
  editor: 'creates agents and changes the ones they own',
  viewer: 'looks at agents and checks, changes nothing',
};

export const ROLE_TONE: Record<Role, Tone> = { admin: 'accent', editor: 'ok', viewer: 'neutral' };
