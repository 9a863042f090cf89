import {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRACEROUTE_TIMEOUT_MS,
  uniqueCheckId,
  type AgentType,
  type CheckSpecInput,
  type CheckType,
} from '@nop/protocol';
import { checkTypesFor } from './agentForm.ts';
import { suggestCheckId } from './checkId.ts';

export { uniqueCheckId };

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

/** The id the draft would get, or null while it has no target. */
export function draftCheckId(draft: CheckDraft, taken: ReadonlySet<string>): string | null {
  if (!draft.type || !draft.target.trim()) return null;
  return uniqueCheckId(suggestCheckId(draft.type, draft.target), taken);
}

/** The draft as a CheckSpec input for the API, or null when it is left empty. */
export function draftToSpec(draft: CheckDraft, taken: ReadonlySet<string> = new Set()): CheckSpecInput | null {
  const id = draftCheckId(draft, taken);
  if (!id || !draft.type) return null;
  const spec = { id, type: draft.type, target: draft.target.trim(), interval: draft.intervalMs };
  const timeout = fittingTimeout(draft.type, draft.intervalMs);
  return (timeout === undefined ? spec : { ...spec, timeout }) as CheckSpecInput;
}

/**
 * The protocol wants timeout < interval; the draft has no timeout field, so a short interval
 * (every 5 s against the 5 s default, a traceroute's 30 s) gets half of it instead of the default.
 */
function fittingTimeout(type: CheckType, intervalMs: number): number | undefined {
  const byDefault = type === 'traceroute' ? DEFAULT_TRACEROUTE_TIMEOUT_MS : DEFAULT_TIMEOUT_MS;
  return byDefault < intervalMs ? undefined : Math.floor(intervalMs / 2);
}
