import { Selector, selectorMatches, type AgentStatus, type AgentType, type CheckType } from '@nop/protocol';
import { checkTypesFor } from './agentForm.ts';

/**
 * Which agents a check would run on, as the editor is filled in: those picked by id plus those whose
 * labels the selector matches — the rules the backend compiles configs by (a single-family agent
 * runs its family only; an editor's selector reaches only that editor's agents).
 */
export interface PreviewAgent {
  id: string;
  name: string;
  status: AgentStatus;
  type: AgentType;
  ownerId: string | null;
  labels?: Record<string, string>;
}

export interface SelectorPreview {
  /** why the selector cannot be read; nothing matches by labels then */
  error?: string;
  required: Record<string, string>;
  runs: Array<{ agent: PreviewAgent; via: 'id' | 'selector' | 'both' }>;
  /** chosen, but the check will not run there, and why */
  skipped: Array<{ agent: PreviewAgent; reason: string }>;
}

export function selectorPreview(input: {
  selector: string;
  agentIds: readonly string[];
  checkType: CheckType;
  agents: readonly PreviewAgent[];
  /** a non-admin owner's id: the selector reaches only their agents; null = any agent */
  ownerScope: string | null;
}): SelectorPreview {
  const parsed = Selector.safeParse(input.selector);
  const required = parsed.success ? parsed.data : {};
  const picked = new Set(input.agentIds);
  const runs: SelectorPreview['runs'] = [];
  const skipped: SelectorPreview['skipped'] = [];
  for (const agent of input.agents) {
    const byId = picked.has(agent.id);
    const byLabels = selectorMatches(required, agent.labels ?? {});
    if (!byId && !byLabels) continue;
    if (!checkTypesFor(agent.type).includes(input.checkType)) {
      skipped.push({ agent, reason: `a ${agent.type} agent cannot run ${input.checkType} checks` });
      continue;
    }
    const selectorReaches = byLabels && (input.ownerScope === null || agent.ownerId === input.ownerScope);
    if (!byId && !selectorReaches) {
      skipped.push({ agent, reason: 'labels match, but an editor’s selector reaches only their own agents' });
      continue;
    }
    runs.push({ agent, via: byId && selectorReaches ? 'both' : byId ? 'id' : 'selector' });
  }
  runs.sort((a, b) => a.agent.name.localeCompare(b.agent.name));
  return {
    ...(parsed.success ? {} : { error: parsed.error.issues[0]!.message }),
    required,
    runs,
    skipped,
  };
}
