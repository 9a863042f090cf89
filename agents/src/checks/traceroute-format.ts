import type { CheckResult } from '@nop/protocol';

/**
 * A traceroute result in the classic tool's words, for `nop-agent check traceroute …`:
 *
 *   traceroute to 10.0.0.9 (10.0.0.9), udp probes (raw socket), 30 hops max, 1 flow
 *    1  10.0.0.1  0.412 ms  0.380 ms  0.377 ms
 *    2  *  10.0.0.5  1.020 ms  *
 *   reached 10.0.0.9 in 2 hops, fingerprint 3ba915cd452c
 */
export function formatTrace(result: CheckResult, maxHops?: number): string {
  const trace = result.trace;
  if (!trace) return `${result.success ? 'OK' : `FAILED: ${result.error ?? 'unknown error'}`}\n`;
  const flows = trace.flows.length;
  const head = [
    `traceroute to ${result.target} (${trace.destination})`,
    `${trace.mode} probes (${trace.method === 'raw' ? 'raw socket' : 'error queue'})`,
    ...(maxHops === undefined ? [] : [`${maxHops} hops max`]),
    `${flows} flow${flows === 1 ? '' : 's'}`,
  ];
  const lines = [head.join(', ')];
  for (const flow of trace.flows) {
    if (flows > 1) lines.push(`flow ${flow.flowId}${flow.reached ? '' : ' (not reached)'}`);
    for (const hop of flow.hops) {
      const parts: string[] = [];
      let last: string | null = null;
      for (const probe of hop.probes) {
        if (probe.address === null || probe.rttMs === null) {
          parts.push('*');
          continue;
        }
        if (probe.address !== last) {
          const name = hop.names?.[probe.address];
          parts.push(name ? `${name} (${probe.address})` : probe.address);
          last = probe.address;
        }
        parts.push(`${probe.rttMs.toFixed(3)} ms`);
      }
      lines.push(`${String(hop.ttl).padStart(2)}  ${parts.join('  ')}`);
    }
  }
  const hops = result.metrics.hop_count;
  lines.push(
    result.success
      ? `reached ${trace.destination} in ${hops} hop${hops === 1 ? '' : 's'}, fingerprint ${trace.fingerprint}`
      : `FAILED: ${result.error ?? 'unknown error'} (fingerprint ${trace.fingerprint})`,
  );
  return `${lines.join('\n')}\n`;
}
