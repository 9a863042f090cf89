import type { Agent, AgentStatus } from '@nop/protocol';

export interface AgentUpdate {
  id: string;
  status: AgentStatus;
  lastSeen: string | null;
}

/**
 * Folds `agent` stream frames into the cached agent list. Returns the same array when nothing
 * changed so React Query subscribers don't re-render for duplicate frames; unknown ids are ignored
 * (a new agent appears through the list refetch, which carries its full record).
 */
export function applyAgentUpdates(agents: Agent[], updates: AgentUpdate[]): Agent[] {
  if (updates.length === 0) return agents;
  const latest = new Map(updates.map((u) => [u.id, u]));
  let changed = false;
  const next = agents.map((agent) => {
    const u = latest.get(agent.id);
    if (!u) return agent;
    // Last-seen never goes back to "never": a frame without one keeps the time we know.
    const lastSeen = u.lastSeen ?? agent.lastSeen;
    if (u.status === agent.status && lastSeen === agent.lastSeen) return agent;
    changed = true;
    return { ...agent, status: u.status, lastSeen };
  });
  return changed ? next : agents;
}

/**
 * A result just relayed by the backend means its agent was heard from just now. The backend may
 * persist last-seen only now and then, so the table would otherwise lag behind the cards.
 */
export function touchAgents(agents: Agent[], agentIds: ReadonlySet<string>, seenAt: string): Agent[] {
  if (agentIds.size === 0) return agents;
  const at = Date.parse(seenAt);
  let changed = false;
  const next = agents.map((agent) => {
    if (!agentIds.has(agent.id)) return agent;
    if (agent.lastSeen && Date.parse(agent.lastSeen) >= at) return agent;
    changed = true;
    return { ...agent, lastSeen: seenAt };
  });
  return changed ? next : agents;
}
