import type { CheckResult, CheckType, RejectedResult } from '@nop/protocol';

/** How far ahead of the backend's clock a result may be: more is a broken agent clock, not skew. */
export const RESULT_MAX_AHEAD_MS = 5 * 60_000;
/** How old a result may be when it arrives (an agent's spool after a long outage): the raw retention. */
export const RESULT_MAX_AGE_MS = 14 * 86_400_000;
const DAY_MS = 86_400_000;

/** Suffix of the diagnostic traceroute an agent takes when a check starts failing. */
const DIAGNOSTIC_SUFFIX = '.trace';

/**
 * The link does not take an agent's word: a result is stored only when it belongs to a check the
 * agent was given (with that check's type; `<id>.trace` is its diagnostic traceroute) and its time is
 * plausible. The rest is rejected with a reason, so the agent drops it instead of re-sending it.
 */
export function screenResults(
  results: readonly CheckResult[],
  checkTypeOf: (checkId: string) => CheckType | undefined,
  nowMs: number,
  maxAgeMs = RESULT_MAX_AGE_MS,
): { accepted: CheckResult[]; rejected: RejectedResult[] } {
  const accepted: CheckResult[] = [];
  const rejected: RejectedResult[] = [];
  for (const result of results) {
    const reason = problemOf(result, checkTypeOf, nowMs, maxAgeMs);
    if (reason) rejected.push({ id: result.id, reason });
    else accepted.push(result);
  }
  return { accepted, rejected };
}

function problemOf(
  result: CheckResult,
  checkTypeOf: (checkId: string) => CheckType | undefined,
  nowMs: number,
  maxAgeMs: number,
): string | undefined {
  const diagnostic = result.checkId.endsWith(DIAGNOSTIC_SUFFIX) && !checkTypeOf(result.checkId);
  const checkId = diagnostic ? result.checkId.slice(0, -DIAGNOSTIC_SUFFIX.length) : result.checkId;
  const type = checkTypeOf(checkId);
  if (!type) return `check "${checkId}" is not in this agent's config`;
  const expected = diagnostic ? 'traceroute' : type;
  if (result.type !== expected) return `check "${result.checkId}" has type ${expected}, not ${result.type}`;
  const time = Date.parse(result.time);
  if (time > nowMs + RESULT_MAX_AHEAD_MS)
    return `time ${result.time} is ${Math.round((time - nowMs) / 1000)} s ahead of the backend's clock`;
  if (time < nowMs - maxAgeMs)
    return `time ${result.time} is older than the ${+(maxAgeMs / DAY_MS).toFixed(2)} days kept (NOP_RETENTION_RAW)`;
  return undefined;
}
