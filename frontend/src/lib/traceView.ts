import type { StreamedResult, TraceDetails } from '@nop/protocol';

/**
 * A traceroute result as people read it: one row per hop and flow with who answered, their names
 * and each probe's round trip; and over many results, when the route (its fingerprint) changed.
 */
export interface HopRow {
  flowId: number;
  ttl: number;
  /** the distinct addresses that answered, in probe order */
  addresses: string[];
  names: string[];
  /** per probe; null = no answer within the probe timeout */
  rtts: (number | null)[];
  /** the last hop of a flow that reached the destination */
  destination: boolean;
}

export function hopRows(trace: TraceDetails): HopRow[] {
  return trace.flows.flatMap((flow) =>
    flow.hops.map((hop, i) => {
      const addresses = [...new Set(hop.probes.map((p) => p.address).filter((a): a is string => a !== null))];
      return {
        flowId: flow.flowId,
        ttl: hop.ttl,
        addresses,
        names: addresses.map((a) => hop.names?.[a]).filter((n): n is string => Boolean(n)),
        rtts: hop.probes.map((p) => p.rttMs),
        destination: flow.reached && i === flow.hops.length - 1,
      };
    }),
  );
}

export interface RouteChange {
  agentId: string;
  agentName: string;
  /** epoch ms of the first result on the new route */
  t: number;
  from: string;
  to: string;
}

/** Each time an agent's route fingerprint differs from its previous trace; newest first. */
export function routeChanges(results: readonly StreamedResult[]): RouteChange[] {
  const byAgent = new Map<string, StreamedResult[]>();
  for (const r of results) {
    if (!r.trace) continue;
    const list = byAgent.get(r.agentId);
    if (list) list.push(r);
    else byAgent.set(r.agentId, [r]);
  }
  const changes: RouteChange[] = [];
  for (const list of byAgent.values()) {
    list.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!.trace!.fingerprint;
      const now = list[i]!;
      if (now.trace!.fingerprint !== before)
        changes.push({
          agentId: now.agentId,
          agentName: now.agentName,
          t: Date.parse(now.time),
          from: before,
          to: now.trace!.fingerprint,
        });
    }
  }
  return changes.sort((a, b) => b.t - a.t);
}
