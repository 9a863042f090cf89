import type { Agent, CheckSpec } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { checkEntries, filterAgents } from './dashboardFilter.ts';

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
const agent = (n: number, name: string, checks: CheckSpec[]): Agent => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  name,
  type: 'ping',
  ownerId: null,
  managed: false,
  config: { version: 1, checks },
  status: 'online',
  desiredState: 'running',
  lastSeen: null,
  createdAt: '2026-03-01T00:00:00Z',
});

const agents = [
  agent(2, 'edge-fra-2', [check('gw', '10.0.0.1')]),
  agent(1, 'edge-fra-1', [check('dns-google', '8.8.8.8'), check('cloudflare', '1.1.1.1')]),
  agent(3, 'core-ams', []),
];

describe('filterAgents', () => {
  it('finds agents by name or by one of their checks', () => {
    expect(filterAgents(agents, 'ams').map((a) => a.name)).toEqual(['core-ams']);
    expect(filterAgents(agents, '8.8.8.8').map((a) => a.name)).toEqual(['edge-fra-1']);
    expect(filterAgents(agents, '')).toHaveLength(3);
  });
});

describe('checkEntries', () => {
  it('lists every check sorted by agent then check id', () => {
    expect(checkEntries(agents, '').map((e) => `${e.agent.name}/${e.check.id}`)).toEqual([
      'edge-fra-1/cloudflare',
      'edge-fra-1/dns-google',
      'edge-fra-2/gw',
    ]);
  });

  it('filters checks by target, check id or agent name', () => {
    expect(checkEntries(agents, '1.1.1').map((e) => e.check.id)).toEqual(['cloudflare']);
    expect(checkEntries(agents, 'fra-2').map((e) => e.check.id)).toEqual(['gw']);
    expect(checkEntries(agents, 'google').map((e) => e.check.id)).toEqual(['dns-google']);
  });
});
