import type { AgentType, CheckType } from '@nop/protocol';

/** Words for the type picker: what each agent type probes. */
export const AGENT_TYPES: ReadonlyArray<{ value: AgentType; label: string }> = [
  { value: 'ping', label: 'ping — ICMP echo' },
  { value: 'http', label: 'http — HTTP(S) requests' },
  { value: 'dns', label: 'dns — name resolution' },
  { value: 'traceroute', label: 'traceroute — path discovery' },
  { value: 'multi', label: 'multi — any mix of checks' },
];

/** The check types an agent type may run, first one the default. Mirrors CHECK_TYPE_OF_AGENT in the protocol. */
export function checkTypesFor(agentType: AgentType): CheckType[] {
  switch (agentType) {
    case 'ping':
      return ['icmp'];
    case 'http':
      return ['http'];
    case 'dns':
      return ['dns'];
    case 'traceroute':
      return ['traceroute'];
    case 'multi':
      return ['icmp', 'http', 'tcp', 'dns', 'traceroute', 'interface'];
  }
}

export const TARGET_PLACEHOLDER: Record<CheckType, string> = {
  icmp: '1.1.1.1 or router.example.net',
  http: 'https://example.com/health',
  tcp: 'db.internal:5432',
  dns: 'example.com',
  traceroute: '8.8.8.8 or example.com',
  interface: 'eth0 or *',
};

export const INTERVALS: ReadonlyArray<{ ms: number; label: string }> = [
  { ms: 5_000, label: 'every 5 s' },
  { ms: 10_000, label: 'every 10 s' },
  { ms: 30_000, label: 'every 30 s' },
  { ms: 60_000, label: 'every 1 min' },
  { ms: 300_000, label: 'every 5 min' },
];
