import type { StreamedResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import type { StreamState } from './checkState.ts';
import {
  buildRows,
  checksFromAgents,
  createRowBuilder,
  newerResult,
  type OverviewAgent,
  type OverviewCheck,
} from './overviewModel.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const LIVE: StreamState = { connection: 'live', downSince: null };
const A1 = '00000000-0000-4000-8000-000000000001';
const A2 = '00000000-0000-4000-8000-000000000002';

let n = 0;
const result = (over: Partial<StreamedResult> = {}): StreamedResult => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  checkId: 'ping',
  type: 'icmp',
  target: '127.0.0.1',
  time: new Date(NOW - 2_000).toISOString(),
  success: true,
  durationMs: 1.5,
  metrics: {},
  agentId: A1,
  agentName: 'one',
  ...over,
});

const check: OverviewCheck = {
  id: 'ping',
  type: 'icmp',
  target: '127.0.0.1',
  interval: 10_000,
  enabled: true,
  labels: { region: 'eu' },
  agents: [
    { id: A1, name: 'one' },
    { id: A2, name: 'two' },
  ],
};

const agents = new Map<string, OverviewAgent>([
  [A1, { id: A1, name: 'one', status: 'online', lastSeen: null }],
  [A2, { id: A2, name: 'two', status: 'online', lastSeen: null }],
]);

describe('buildRows', () => {
  it('gives each check a row per agent with the newer of the snapshot and the live result', () => {
    const old = result({ time: new Date(NOW - 5_000).toISOString(), durationMs: 9 });
    const fresh = result({ time: new Date(NOW - 1_000).toISOString(), durationMs: 3, metrics: { loss_ratio: 0.5 } });
    const slow = result({ agentId: A2, agentName: 'two', durationMs: 20 });
    const [row] = buildRows({
      checks: [check],
      agents,
      latest: new Map([
        [`${A1}/ping`, old],
        [`${A2}/ping`, slow],
      ]),
      live: { [`${A1}/ping`]: { points: [], last: fresh } },
      stream: LIVE,
      nowMs: NOW,
    });
    expect(row!.pairs.map((p) => p.result)).toEqual([fresh, slow]);
    expect(row!.state).toMatchObject({ status: 'degraded', up: 2, total: 2 });
    expect(row!.latency).toBe(20);
    expect(row!.loss).toBe(0.5);
    expect(row!.lastTime).toBe(NOW - 1_000);
  });

  it('takes agent status from the live agent list, so a stopped agent greys its row out', () => {
    const stopped = new Map(agents);
    stopped.set(A2, { id: A2, name: 'two', status: 'stopped', lastSeen: null });
    const [row] = buildRows({
      checks: [check],
      agents: stopped,
      latest: new Map([[`${A2}/ping`, result({ agentId: A2, success: false })]]),
      live: {},
      stream: LIVE,
      nowMs: NOW,
    });
    expect(row!.pairs.map((p) => p.state.status)).toEqual(['waiting', 'stale']);
    expect(row!.state.status).toBe('stale');
    expect(row!.latency).toBeNull();
  });

  it('falls back to the check’s own agent status and name for agents not in the list', () => {
    const lone: OverviewCheck = { ...check, agents: [{ id: A1, name: 'remote', status: 'offline' }] };
    const [row] = buildRows({
      checks: [lone],
      agents: new Map(),
      latest: new Map(),
      live: {},
      stream: LIVE,
      nowMs: NOW,
    });
    expect(row!.pairs[0]).toMatchObject({ agentName: 'remote', agentStatus: 'offline' });
    expect(row!.state.status).toBe('stale');
  });
});

describe('createRowBuilder', () => {
  const inputs = { checks: [check], agents, latest: new Map(), live: {}, stream: LIVE, nowMs: NOW };
  const fresh = result({ time: new Date(NOW - 1_000).toISOString() });

  it('keeps a row’s object while nothing it shows changed', () => {
    const build = createRowBuilder();
    const first = build(inputs);
    expect(build({ ...inputs, nowMs: NOW + 4_000 })[0]).toBe(first[0]);
    // an online agent's last contact moves with every batch, but does not show
    const seen = new Map(agents);
    seen.set(A1, { ...agents.get(A1)!, lastSeen: new Date(NOW).toISOString() });
    expect(build({ ...inputs, agents: seen })[0]).toBe(first[0]);
  });

  it('rebuilds a row when a result arrives, an agent changes or the stream drops', () => {
    const build = createRowBuilder();
    const first = build(inputs)[0]!;
    const live = { [`${A1}/ping`]: { points: [], last: fresh } };
    const withResult = build({ ...inputs, live })[0]!;
    expect(withResult).not.toBe(first);
    expect(withResult.pairs[0]!.result).toBe(fresh);
    const stopped = new Map(agents);
    stopped.set(A1, { ...agents.get(A1)!, status: 'stopped' });
    expect(build({ ...inputs, live, agents: stopped })[0]!.pairs[0]!.state.reason).toBe('agent-stopped');
    const dropped = build({ ...inputs, live, stream: { connection: 'reconnecting', downSince: NOW } })[0]!;
    expect(dropped.state).toMatchObject({ status: 'stale', reason: 'stream' });
  });

  it('judges a row again once its newest result turns stale, without any new input', () => {
    const build = createRowBuilder();
    const live = { [`${A1}/ping`]: { points: [], last: fresh } };
    const two = { ...check, agents: [check.agents[0]!] };
    const first = build({ ...inputs, checks: [two], live })[0]!;
    expect(first.state.status).toBe('up');
    const later = build({ ...inputs, checks: [two], live, nowMs: NOW + 60_000 })[0]!;
    expect(later.state).toMatchObject({ status: 'stale', reason: 'old' });
  });
});

describe('checksFromAgents', () => {
  it('merges the agents’ compiled configs into one check per id, run by each', () => {
    const spec = { id: 'ping', type: 'icmp' as const, target: '127.0.0.1', interval: 10_000 };
    const checks = checksFromAgents([
      { ...agents.get(A2)!, config: { checks: [spec] } },
      { ...agents.get(A1)!, config: { checks: [spec, { ...spec, id: 'other' }] } },
    ]);
    expect(checks.map((c) => [c.id, c.agents.map((a) => a.name)])).toEqual([
      ['ping', ['one', 'two']],
      ['other', ['one']],
    ]);
    expect(checks[0]).toMatchObject({ enabled: true, labels: {} });
  });
});

describe('newerResult', () => {
  it('picks the later run, whichever side it is on', () => {
    const a = result({ time: '2026-03-01T12:00:00Z' });
    const b = result({ time: '2026-03-01T12:00:10Z' });
    expect(newerResult(a, b)).toBe(b);
    expect(newerResult(b, a)).toBe(b);
    expect(newerResult(undefined, a)).toBe(a);
    expect(newerResult(null, undefined)).toBeNull();
  });
});
