import type { Agent, AgentAction, AgentType, CheckSpecInput } from '@nop/protocol';
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

export const listAgents = (signal?: AbortSignal) => request<Agent[]>('GET', '/api/v1/agents', { signal });

export const createAgent = (body: CreateAgentInput) => request<CreatedAgent>('POST', '/api/v1/agents', { body });

export const updateAgent = (id: string, body: { name?: string; config?: { checks: CheckSpecInput[] } }) =>
  request<Agent>('PATCH', `/api/v1/agents/${encodeURIComponent(id)}`, { body });

export const deleteAgent = (id: string) => request<void>('DELETE', `/api/v1/agents/${encodeURIComponent(id)}`);

export const runAgentAction = (id: string, action: AgentAction) =>
  request<{ agent: Agent }>('POST', `/api/v1/agents/${encodeURIComponent(id)}/actions`, { body: { action } });
