import type { DnsAnswer, DnsDetails } from '@nop/protocol';

/** Agents that were given the same answer, with that answer. */
export interface DnsAnswerGroup {
  agents: string[];
  server: string;
  rcode: string | null;
  answers: DnsAnswer[];
  omitted: number;
}

/** Records compare without their TTL: caches count it down, so two agents' TTLs differ for one answer. */
function answerKey(dns: DnsDetails): string {
  const records = dns.answers.map((a) => `${a.name.toLowerCase()}\t${a.type}\t${a.data}`).sort();
  return `${dns.rcode ?? ''}\n${records.join('\n')}`;
}

/**
 * The latest answers grouped by what was answered, largest group first: where agents ask different
 * resolvers or a zone answers by location (GeoDNS, a split horizon), the differing groups show it at a
 * glance. Runs without DNS details (older agents, or no answer at all) are left out.
 */
export function groupDnsAnswers(
  latest: readonly { agentName: string; dns?: DnsDetails | undefined }[],
): DnsAnswerGroup[] {
  const groups = new Map<string, DnsAnswerGroup>();
  for (const { agentName, dns } of latest) {
    if (!dns?.rcode) continue;
    const key = answerKey(dns);
    const group = groups.get(key);
    if (group) group.agents.push(agentName);
    else
      groups.set(key, {
        agents: [agentName],
        server: dns.server,
        rcode: dns.rcode ?? null,
        answers: dns.answers,
        omitted: dns.omitted ?? 0,
      });
  }
  return [...groups.values()].sort(
    (a, b) => b.agents.length - a.agents.length || a.agents[0]!.localeCompare(b.agents[0]!),
  );
}

/** The answer in one line for a table cell: "93.184.216.34, 2606:2800::1 +3 more", "no records", "NXDOMAIN". */
export function answerSummary(dns: DnsDetails | undefined, shown = 2): string {
  if (!dns?.rcode) return '—';
  const total = dns.answers.length + (dns.omitted ?? 0);
  if (total === 0) return dns.rcode === 'NOERROR' ? 'no records' : dns.rcode;
  const first = dns.answers.slice(0, shown).map((a) => a.data);
  return total > first.length ? `${first.join(', ')} +${total - first.length} more` : first.join(', ');
}
