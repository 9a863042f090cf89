import type { StreamedResult } from '@nop/protocol';

/**
 * One line about a traceroute result for its card: how far the path is and which route it took
 * (the fingerprint changes when any hop does), e.g. "4 hops · route 1a2b3c4d5e6f".
 */
export function routeSummary(result: Pick<StreamedResult, 'trace' | 'metrics'> | undefined): string | null {
  if (!result?.trace) return null;
  const hops = result.metrics.hop_count ?? Math.max(0, ...result.trace.flows.map((f) => f.hops.length));
  const flows = result.trace.flows.length;
  const reached = result.trace.flows.filter((f) => f.reached).length;
  const parts = [`${hops} hop${hops === 1 ? '' : 's'}`, `route ${result.trace.fingerprint}`];
  if (flows > 1) parts.push(`${reached}/${flows} flows reached`);
  return parts.join(' · ');
}
