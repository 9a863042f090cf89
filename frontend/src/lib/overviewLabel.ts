import type { StateText } from './checkState.ts';
import type { CheckRow } from './overviewModel.ts';

/**
 * The accessible name of a check's card or row: everything a sighted user reads at a glance, in
 * the order that matters (which check, its state and why, how many agents answer, what it probes).
 */
export function rowAccessibleName(row: CheckRow, text: StateText): string {
  const { check, state } = row;
  const parts = [`${check.id}: ${text.label}`];
  if (text.detail) parts.push(text.detail);
  if (state.total > 1 || row.pairs.length !== 1) parts.push(`${state.up} of ${state.total} agents up`);
  else parts.push(`on ${row.pairs[0]!.agentName}`);
  parts.push(`${check.type} ${check.target}`);
  return parts.join(', ');
}
