import type { Agent } from '@nop/protocol';
import { canChangeAgent, canCreateAgents, type Verdict } from '../lib/permissions.ts';
import { useAuth } from '../store/auth.ts';

const SIGNED_OUT: Verdict = { allowed: false, reason: 'Sign in first.' };

/** The signed-in user's verdicts for the overview's controls (see lib/permissions.ts). */
export function useAgentPermissions() {
  const user = useAuth((s) => s.user);
  return {
    create: user ? canCreateAgents(user) : SIGNED_OUT,
    change: (agent: Agent) => (user ? canChangeAgent(user, agent) : SIGNED_OUT),
  };
}
