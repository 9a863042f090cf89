import type { Agent, CheckSpec } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { filterAgents, sortAgents, sortByName } from './dashboardFilter.ts';

const check = (id: string, target: string): CheckSpec => ({
  id,
  type: 'icmp',
  target,
  interval: 10_000,
  timeout: 5_000,
  count: 3,
  echoInterval: 100,
  size: 56,
  dontFragment: false,
});
const agent = (n: number, name: string, checks: CheckSpec[], more: Partial<Agent> = {}): Agent => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  name,
  type: 'ping',
  ownerId: null,
  managed: false,
  config: { version: 1, checks },
  status: 'online',
  desiredState: 'running',
  lastSeen: null,
  clockSkewMs: null,
  createdAt: '2026-03-01T00:00:00Z',
  labels: {},
  location: null,
  ...more,
});

const agents = [
  agent(2, 'edge-fra-2', [check('gw', '10.0.0.1')]),
  agent(1, 'edge-fra-1', [check('dns-google', '8.8.8.8'), check('cloudflare', '1.1.1.1')]),
  agent(3, 'core-ams', [], {
    labels: { region: 'eu', role: 'core' },
    location: { name: 'Amsterdam', provider: 'Hetzner AS24940' },
  }),
];

describe('filterAgents', () => {
  it('finds agents by name or by one of their checks', () => {
    expect(filterAgents(agents, 'ams').map((a) => a.name)).toEqual(['core-ams']);
    expect(filterAgents(agents, '8.8.8.8').map((a) => a.name)).toEqual(['edge-fra-1']);
    expect(filterAgents(agents, '')).toHaveLength(3);
  });

  it('finds agents by label and by location', () => {
    expect(filterAgents(agents, 'region=eu').map((a) => a.name)).toEqual(['core-ams']);
    expect(filterAgents(agents, 'amsterdam hetzner').map((a) => a.name)).toEqual(['core-ams']);
  });
});

describe('sortByName', () => {
  it('sorts names naturally', () => {
    expect(sortByName([agent(4, 'edge-10', []), ...agents]).map((a) => a.name)).toEqual([
      'core-ams',
      'edge-10',
      'edge-fra-1',
      'edge-fra-2',
    ]);
  });
});

describe('sortAgents', () => {
  it('puts agents in trouble first, then sorts by name', () => {
    const list = [
      agent(5, 'b-online', []),
      agent(6, 'z-offline', [], { status: 'offline' }),
      agent(7, 'a-online', []),
      agent(8, 'm-stopped', [], { status: 'stopped' }),
    ];
    expect(sortAgents(list).map((a) => a.name)).toEqual(['z-offline', 'm-stopped', 'a-online', 'b-online']);
  });
});
