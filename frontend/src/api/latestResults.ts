import type { LatestResultsResponse } from '@nop/protocol';
import { request } from './client.ts';

/**
 * The latest stored result of every (agent, check) pair the agents' configs hold, with the agent's
 * name and status: the overview's state in one call, kept current afterwards by the stream.
 */
export const fetchLatestResults = (filter: { checkId?: string; agentId?: string } = {}, signal?: AbortSignal) =>
  request<LatestResultsResponse>('GET', '/api/v1/results/latest', {
    query: { check_id: filter.checkId, agent_id: filter.agentId },
    signal,
  });
