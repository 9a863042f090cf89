import type { AgentType, CheckSpecInput, CheckType } from '@nop/protocol';
import { checkTypesFor } from './agentForm.ts';
import { suggestCheckId } from './checkId.ts';

/** The few fields a person fills in for a check; the rest take the protocol's defaults. */
export interface CheckDraft {
  type: CheckType | null;
  target: string;
  intervalMs: number;
}

export const emptyDraft = (agentType: AgentType): CheckDraft => ({
  type: checkTypesFor(agentType)[0] ?? null,
  target: '',
  intervalMs: 10_000,
});

/** `base`, or `base-2`, `base-3`… so a second check on the same target still gets a unique id. */
export function uniqueCheckId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = base.slice(0, 64 - suffix.length) + suffix;
    if (!taken.has(id)) return id;
  }
}

/** The id the draft would get, or null while it has no target. */
export function draftCheckId(draft: CheckDraft, taken: ReadonlySet<string>): string | null {
  if (!draft.type || !draft.target.trim()) return null;
  return uniqueCheckId(suggestCheckId(draft.type, draft.target), taken);
}

/** The draft as a CheckSpec input for the API, or null when it is left empty. */
export function draftToSpec(draft: CheckDraft, taken: ReadonlySet<string> = new Set()): CheckSpecInput | null {
  const id = draftCheckId(draft, taken);
  if (!id || !draft.type) return null;
  return { id, type: draft.type, target: draft.target.trim(), interval: draft.intervalMs } as CheckSpecInput;
}
