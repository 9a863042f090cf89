import { describe, expect, it } from 'vitest';
import {
  aggregateState,
  describeState,
  pairState,
  SEVERITY,
  staleAfterMs,
  STALE_GRACE_MS,
  type PairInput,
  type PairState,
  type StreamState,
} from './checkState.ts';

const NOW = Date.parse('2026-03-01T12:10:00Z');
const LIVE: StreamState = { connection: 'live', downSince: null };
const iso = (ms: number) => new Date(ms).toISOString();

const input = (over: Partial<PairInput> = {}): PairInput => ({
  enabled: true,
  type: 'tcp',
  interval: 10_000,
  agentStatus: 'online',
  agentLastSeen: iso(NOW),
  result: { time: iso(NOW - 3_000), success: true, metrics: {} },
  ...over,
});

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe('pairState', () => {
  it('is up on a fresh successful result', () => {
    expect(pairState(input(), LIVE, NOW)).toEqual({ status: 'up', since: NOW - 3_000 });
  });

  it('is down on a fresh failed result, with its error', () => {
    const state = pairState(
      input({ result: { time: iso(NOW), success: false, metrics: {}, error: 'refused' } }),
      LIVE,
      NOW,
    );
    expect(state).toMatchObject({ status: 'down', error: 'refused' });
  });

  it('is degraded when a successful ping lost some echoes, not for a traceroute', () => {
    const result = { time: iso(NOW), success: true, metrics: { loss_ratio: 0.2 } };
    expect(pairState(input({ type: 'icmp', result }), LIVE, NOW)).toMatchObject({ status: 'degraded', loss: 0.2 });
    expect(pairState(input({ type: 'traceroute', result }), LIVE, NOW).status).toBe('up');
    const noLoss = { ...result, metrics: { loss_ratio: 0 } };
    expect(pairState(input({ type: 'icmp', result: noLoss }), LIVE, NOW).status).toBe('up');
  });

  it('is disabled when the check is, whatever else holds', () => {
    expect(pairState(input({ enabled: false, agentStatus: 'offline' }), LIVE, NOW)).toEqual({ status: 'disabled' });
  });

  it('is stale since the drop while the stream is reconnecting', () => {
    const down = NOW - 60_000;
    const state = pairState(input(), { connection: 'reconnecting', downSince: down }, NOW);
    expect(state).toEqual({ status: 'stale', reason: 'stream', since: down });
  });

  it('is not stale while the stream makes its first connection attempt', () => {
    expect(pairState(input(), { connection: 'connecting', downSince: null }, NOW).status).toBe('up');
  });

  it('says "agent stopped" for a stopped agent, never its last failure', () => {
    const failed = { time: iso(NOW), success: false, metrics: {}, error: 'timeout' };
    const state = pairState(input({ agentStatus: 'stopped', result: failed }), LIVE, NOW);
    expect(state.status).toBe('stale');
    expect(state.reason).toBe('agent-stopped');
    expect(describeState(state, clock).label).toBe('Agent stopped');
  });

  it('is stale since the last contact for an offline agent, even after a green result', () => {
    const seen = NOW - 120_000;
    const state = pairState(input({ agentStatus: 'offline', agentLastSeen: iso(seen) }), LIVE, NOW);
    expect(state).toEqual({ status: 'stale', reason: 'agent-offline', since: seen });
  });

  it('falls back to the last result time for an offline agent never seen', () => {
    const state = pairState(input({ agentStatus: 'offline', agentLastSeen: null }), LIVE, NOW);
    expect(state.since).toBe(NOW - 3_000);
  });

  it('waits for an agent that never connected, and for the first result', () => {
    expect(pairState(input({ agentStatus: 'pending', result: null }), LIVE, NOW)).toEqual({
      status: 'waiting',
      reason: 'agent-pending',
    });
    expect(pairState(input({ result: null }), LIVE, NOW)).toEqual({ status: 'waiting', reason: 'first-result' });
  });

  it('turns stale once the newest result is older than two intervals plus the grace', () => {
    const limit = staleAfterMs(10_000);
    expect(limit).toBe(20_000 + STALE_GRACE_MS);
    const at = (age: number) => input({ result: { time: iso(NOW - age), success: false, metrics: {} } });
    expect(pairState(at(limit), LIVE, NOW).status).toBe('down');
    expect(pairState(at(limit + 1), LIVE, NOW)).toEqual({ status: 'stale', reason: 'old', since: NOW - limit - 1 });
  });

  it('ranks failing first', () => {
    const order = Object.entries(SEVERITY)
      .sort((a, b) => a[1] - b[1])
      .map(([s]) => s);
    expect(order).toEqual(['down', 'degraded', 'stale', 'waiting', 'up', 'disabled']);
  });
});

describe('aggregateState', () => {
  const up: PairState = { status: 'up' };
  const down: PairState = { status: 'down', error: 'x', since: 1 };
  const stale = (reason: PairState['reason'], since?: number): PairState => ({ status: 'stale', reason, since });

  it('is up when every current agent is up, counting stale ones aside', () => {
    expect(aggregateState(true, [up, up, stale('old', 5)])).toMatchObject({ status: 'up', up: 2, total: 3, stale: 1 });
  });

  it('is down only when every current agent is down', () => {
    expect(aggregateState(true, [down, down, stale('agent-stopped')])).toMatchObject({
      status: 'down',
      error: 'x',
      down: 2,
    });
  });

  it('is degraded when some agents fail, or one loses packets', () => {
    expect(aggregateState(true, [down, up])).toMatchObject({ status: 'degraded', up: 1, down: 1 });
    expect(aggregateState(true, [{ status: 'degraded', loss: 0.3 }, up])).toMatchObject({
      status: 'degraded',
      loss: 0.3,
      up: 2,
    });
  });

  it('is stale when no agent has current data, with the shared reason and the oldest since', () => {
    expect(aggregateState(true, [stale('agent-offline', 20), stale('agent-offline', 10)])).toMatchObject({
      status: 'stale',
      reason: 'agent-offline',
      since: 10,
    });
    expect(aggregateState(true, [stale('agent-offline', 20), stale('old', 30)]).reason).toBeUndefined();
  });

  it('waits with no agents, with pending agents, or before the first result', () => {
    expect(aggregateState(true, [])).toMatchObject({ status: 'waiting', reason: 'no-agents' });
    expect(aggregateState(true, [{ status: 'waiting', reason: 'agent-pending' }]).reason).toBe('agent-pending');
    expect(aggregateState(true, [{ status: 'waiting', reason: 'first-result' }]).reason).toBe('first-result');
  });

  it('is disabled when the check is', () => {
    expect(aggregateState(false, [up]).status).toBe('disabled');
  });
});

describe('describeState', () => {
  it('says since when data stopped being current, in a clock time', () => {
    const at = Date.parse('2026-03-01T12:04:00Z');
    expect(describeState({ status: 'stale', reason: 'old', since: at }, clock)).toEqual({
      label: 'Stale',
      detail: 'stale since 12:04',
    });
    expect(describeState({ status: 'stale', reason: 'stream', since: at }, clock).detail).toBe(
      'no live data since 12:04',
    );
    expect(describeState({ status: 'stale', reason: 'agent-offline', since: at }, clock).detail).toBe(
      'agent offline since 12:04',
    );
    expect(describeState({ status: 'stale', reason: 'stream' }, clock).detail).toBe('no live data');
    expect(describeState({ status: 'stale', reason: 'agent-stopped', since: at }, clock).detail).toBe(
      'agent stopped, last result 12:04',
    );
    expect(describeState({ status: 'stale', reason: 'agent-stopped' }, clock).detail).toBe('agent stopped');
  });

  it('names failures and partial failures', () => {
    expect(describeState({ status: 'down', error: 'refused' }, clock)).toEqual({ label: 'Down', detail: 'refused' });
    expect(describeState(aggregateState(true, [{ status: 'down' }, { status: 'up' }]), clock).detail).toBe(
      'down on 1 of 2 agents',
    );
    expect(describeState({ status: 'degraded', loss: 0.25 }, clock).detail).toBe('25% loss');
    expect(describeState({ status: 'up' }, clock)).toEqual({ label: 'Up' });
  });
});
