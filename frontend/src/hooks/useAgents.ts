import type { Agent, AgentAction, CheckSpecInput } from '@nop/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createAgent,
  deleteAgent,
  listAgents,
  runAgentAction,
  updateAgent,
  type CreateAgentInput,
} from '../api/agents.ts';

export const AGENTS_KEY = ['agents'] as const;

/**
 * The agent list. Status and last-seen are kept fresh by `agent` frames on the stream; the slow
 * refetch is only a safety net for frames missed while the socket was down.
 */
export function useAgents() {
  return useQuery({
    queryKey: AGENTS_KEY,
    queryFn: ({ signal }) => listAgents(signal),
    refetchInterval: 60_000,
  });
}

/** Replaces one agent in the cached list with the server's newer copy. */
function useReplaceAgent() {
  const qc = useQueryClient();
  return (agent: Agent) =>
    qc.setQueryData<Agent[]>(AGENTS_KEY, (list) => list?.map((a) => (a.id === agent.id ? agent : a)));
}

export function useAgentAction(agentId: string) {
  const replace = useReplaceAgent();
  return useMutation({
    mutationFn: (action: AgentAction) => runAgentAction(agentId, action),
    onSuccess: ({ agent }) => {
      if (agent) replace(agent);
    },
  });
}

export function useCreateAgent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateAgentInput) => createAgent(input),
    onSuccess: ({ agent }) => {
      qc.setQueryData<Agent[]>(AGENTS_KEY, (list) =>
        list ? [...list.filter((a) => a.id !== agent.id), agent] : [agent],
      );
    },
  });
}

export function useDeleteAgent(agentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => deleteAgent(agentId),
    onSuccess: () => {
      qc.setQueryData<Agent[]>(AGENTS_KEY, (list) => list?.filter((a) => a.id !== agentId));
      qc.removeQueries({ queryKey: ['history', agentId] });
    },
  });
}

/** Replaces an agent's whole check list (PATCH config); the backend bumps the version and pushes it. */
export function useUpdateChecks(agentId: string) {
  const replace = useReplaceAgent();
  return useMutation({
    mutationFn: (checks: CheckSpecInput[]) => updateAgent(agentId, { config: { checks } }),
    onSuccess: (agent) => {
      if (agent) replace(agent);
    },
  });
}
