import type { Agent, AgentLocation } from '@nop/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { updateAgent } from '../api/agents.ts';
import { AGENTS_KEY } from './useAgents.ts';

/** Saves an agent's labels and location in one PATCH and puts the server's copy in the agent list. */
export function useUpdateAgentMeta(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { labels: Record<string, string>; location: AgentLocation | null }) =>
      updateAgent(agentId, body),
    onSuccess: (agent) => {
      qc.setQueryData<Agent[]>(AGENTS_KEY, (list) => list?.map((a) => (a.id === agent.id ? agent : a)));
      // checks chosen by label selectors may now run on this agent, or no longer
      void qc.invalidateQueries({ queryKey: ['checks'] });
    },
  });
}
