import { describe, expect, it } from 'vitest';
import { rowOf, type OverviewCheck, type PairRow } from './overviewModel.ts';
import { summarize } from './overviewSummary.ts';
import type { PairState } from './checkState.ts';

const check = (id: string, type: OverviewCheck['type'] = 'icmp'): OverviewCheck => ({
  id,
  type,
  target: 't',
  interval: 10_000,
  enabled: true,
  labels: {},
  agents: [],
});

const pair = (agentName: string, state: PairState, durationMs: number | null, loss?: number): PairRow => ({
  key: `${agentName}/x`,
  agentId: agentName,
  agentName,
  agentStatus: 'online',
  state,
  result: {
    id: 'r',
    checkId: 'x',
    type: 'icmp',
    target: 't',
    time: '2026-03-01T12:00:00Z',
    success: state.status !== 'down',
    durationMs,
    metrics: loss === undefined ? {} : { loss_ratio: loss },
    agentId: agentName,
    agentName,
  },
});

describe('summarize', () => {
  it('counts checks by state and agents by status, and names the worst latency and loss now', () => {
    const rows = [
      rowOf('a', check('a'), [pair('eu', { status: 'up' }, 12), pair('us', { status: 'degraded' }, 80, 0.2)]),
      rowOf('b', check('b'), [pair('eu', { status: 'down' }, null, 1)]),
      // a stale run's figures are not "now", however bad
      rowOf('c', check('c'), [pair('eu', { status: 'stale', reason: 'old' }, 900, 0.9)]),
      rowOf('d', check('d', 'interface'), [pair('eu', { status: 'up' }, 5000)]),
    ];
    const summary = summarize(rows, [{ status: 'online' }, { status: 'online' }, { status: 'offline' }]);
    expect(summary.checks).toEqual({ down: 1, degraded: 1, stale: 1, waiting: 0, up: 1, disabled: 0 });
    expect(summary.totalChecks).toBe(4);
    expect(summary.agents).toEqual({ online: 2, offline: 1, stopped: 0, pending: 0 });
    expect(summary.worstLatency).toEqual({ value: 80, checkId: 'a', agentName: 'us' });
    expect(summary.worstLoss).toEqual({ value: 0.2, checkId: 'a', agentName: 'us' });
  });

  it('has no worst figures when nothing is current', () => {
    const summary = summarize([], []);
    expect(summary.worstLatency).toBeNull();
    expect(summary.worstLoss).toBeNull();
    expect(summary.totalAgents).toBe(0);
  });
});
