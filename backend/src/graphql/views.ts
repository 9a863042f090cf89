import { toAgent, type AgentRow } from '../modules/agents/repo.ts';
import type { CheckRow } from '../modules/checks/repo.ts';
import { toCheck } from '../modules/checks/service.ts';

/**
 * Rows as GraphQL answers them: built from the REST answer (toAgent, toCheck), so secrets are
 * masked by the same code and every value is the one REST gives; only the shape differs.
 */

/** Labels as a list (GraphQL has no map type), sorted by key so answers are stable. */
export const toLabels = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((key) => ({ key, value: labels[key]! }));

export function agentView(row: AgentRow) {
  const agent = toAgent(row);
  return { ...agent, labels: toLabels(agent.labels), configVersion: agent.config.version };
}

/** Where a Check view keeps its row, for the batched `agents` field (a symbol: not serialised). */
export const CHECK_ROW = Symbol('check row');
export type CheckView = ReturnType<typeof checkView>;

export function checkView(row: CheckRow) {
  const rest = toCheck(row);
  // the common fields typed; the rest of the spec is the type's settings
  const {
    id,
    type,
    target,
    interval,
    timeout,
    labels,
    enabled,
    agentIds,
    selector,
    agents: _agents,
    ownerId,
    version,
    createdAt,
    updatedAt,
    ...settings
  } = rest;
  return {
    id,
    type,
    target,
    interval,
    timeout,
    labels: toLabels(labels),
    enabled,
    agentIds,
    selector,
    ownerId,
    version,
    createdAt,
    updatedAt,
    settings,
    [CHECK_ROW]: row,
  };
}
