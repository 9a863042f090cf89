import type { Agent } from '@nop/protocol';
import { matchesQuery } from './filter.ts';
import { naturalCompare } from './natural.ts';

/** What the search box matches in an agent: its own fields, its labels ("region=eu") and its location. */
const agentFields = (a: Agent): Array<string | undefined> => [
  a.name,
  a.type,
  a.status,
  a.id,
  ...Object.entries(a.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  a.location?.name,
  a.location?.provider,
];

/** Agents whose own fields match, or that run a matching check (so "8.8.8.8" finds its agent too). */
export function filterAgents(agents: Agent[], query: string): Agent[] {
  return agents.filter(
    (a) =>
      matchesQuery(query, agentFields(a)) ||
      a.config.checks.some((c) => matchesQuery(query, [a.name, c.id, c.target, c.type])),
  );
}

/** Agents in trouble first (offline, stopped, never connected), then by name. */
const STATUS_ORDER: Record<Agent['status'], number> = { offline: 0, stopped: 1, pending: 2, online: 3 };

export function sortAgents(agents: Agent[]): Agent[] {
  return sortByName(agents).sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}

export function sortByName(agents: Agent[]): Agent[] {
  return [...agents].sort((a, b) => naturalCompare(a.name, b.name));
}
