import {
  PAGE_MAX_LIMIT,
  type Agent,
  type AgentAction,
  type AgentLocation,
  type AgentType,
  type CheckSpecInput,
  type Page,
} from '@nop/protocol';
import { fetchAllPages } from '../lib/paging.ts';
import { request } from './client.ts';

export interface CreatedAgent {
  agent: Agent;
  /** shown once: the backend keeps only its hash */
  token: string;
  command: string;
}

export interface CreateAgentInput {
  name: string;
  type: AgentType;
  config: { checks: CheckSpecInput[] };
}

/** Every agent: the API answers a page at a time (the largest pages, to keep round trips few). */
export const listAgents = (signal?: AbortSignal) =>
  fetchAllPages((cursor) =>
    request<Page<Agent>>('GET', '/api/v1/agents', { query: { limit: PAGE_MAX_LIMIT, cursor }, signal }),
  );

export const createAgent = (body: CreateAgentInput) => request<CreatedAgent>('POST', '/api/v1/agents', { body });

export interface UpdateAgentInput {
  name?: string;
  config?: { checks: CheckSpecInput[] };
  /** replaces every label */
  labels?: Record<string, string>;
  /** null clears it */
  location?: AgentLocation | null;
}

export const updateAgent = (id: string, body: UpdateAgentInput) =>
  request<Agent>('PATCH', `/api/v1/agents/${encodeURIComponent(id)}`, { body });

export const deleteAgent = (id: string) => request<void>('DELETE', `/api/v1/agents/${encodeURIComponent(id)}`);

export const runAgentAction = (id: string, action: AgentAction) =>
  request<{ agent: Agent }>('POST', `/api/v1/agents/${encodeURIComponent(id)}/actions`, { body: { action } });
