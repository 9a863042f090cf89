import type { Agent, CheckSpec } from '@nop/protocol';
import { matchesQuery } from './filter.ts';

export interface CheckEntry {
  agent: Agent;
  check: CheckSpec;
}

const checkFields = (agent: Agent, check: CheckSpec) => [agent.name, check.id, check.target, check.type];

/** Agents whose own fields match, or that run a matching check (so "8.8.8.8" finds its agent too). */
export function filterAgents(agents: Agent[], query: string): Agent[] {
  return agents.filter(
    (a) =>
      matchesQuery(query, [a.name, a.type, a.status, a.id]) ||
      a.config.checks.some((c) => matchesQuery(query, checkFields(a, c))),
  );
}

/** Every check of every agent as cards, filtered; a stable order (agent, then check id) so cards never jump around. */
export function checkEntries(agents: Agent[], query: string): CheckEntry[] {
  const entries: CheckEntry[] = [];
  for (const agent of sortByName(agents)) {
    for (const check of [...agent.config.checks].sort((a, b) => a.id.localeCompare(b.id))) {
      if (matchesQuery(query, checkFields(agent, check))) entries.push({ agent, check });
    }
  }
  return entries;
}

export function sortByName(agents: Agent[]): Agent[] {
  return [...agents].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}
