import type { AgentStatus, StreamedResult } from '@nop/protocol';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { fetchLatestResults } from '../api/latestResults.ts';

export interface AgentLatest {
  agentId: string;
  agentName: string;
  agentStatus?: AgentStatus;
  result: StreamedResult | null;
}

/**
 * The newest result of the check on each agent: stored ones first, replaced by newer ones from the
 * stream. The DNS, TLS and traceroute panels read their figures from these.
 */
export function useCheckLatest(checkId: string, live: readonly StreamedResult[]): AgentLatest[] {
  const query = useQuery({
    queryKey: ['history', 'check-latest', checkId],
    queryFn: ({ signal }) => fetchLatestResults({ checkId }, signal),
    refetchInterval: 60_000,
  });
  return useMemo(() => {
    const byAgent = new Map<string, AgentLatest>();
    for (const item of query.data?.items ?? [])
      byAgent.set(item.agentId, {
        agentId: item.agentId,
        agentName: item.agentName,
        agentStatus: item.agentStatus,
        result: item.result,
      });
    for (const r of live) {
      const known = byAgent.get(r.agentId);
      if (!known?.result || Date.parse(r.time) >= Date.parse(known.result.time))
        byAgent.set(r.agentId, { ...known, agentId: r.agentId, agentName: r.agentName, result: r });
    }
    return [...byAgent.values()].sort((a, b) => a.agentName.localeCompare(b.agentName));
  }, [query.data, live]);
}
