import { describe, expect, it } from 'vitest';
import { rowOf, type OverviewCheck } from './overviewModel.ts';
import { rowAccessibleName } from './overviewLabel.ts';

const check: OverviewCheck = {
  id: 'api',
  type: 'http',
  target: 'https://api.example',
  interval: 10_000,
  enabled: true,
  labels: {},
  agents: [],
};
const pair = (agentName: string, status: 'up' | 'down') => ({
  key: `${agentName}/api`,
  agentId: agentName,
  agentName,
  agentStatus: 'online' as const,
  result: null,
  state: { status },
});

describe('rowAccessibleName', () => {
  it('names the check, its state with the reason, the agents up and the target', () => {
    const row = rowOf('api', check, [pair('eu', 'up'), pair('us', 'down')]);
    expect(rowAccessibleName(row, { label: 'Degraded', detail: 'down on 1 of 2 agents' })).toBe(
      'api: Degraded, down on 1 of 2 agents, 1 of 2 agents up, http https://api.example',
    );
  });

  it('names the agent of a single-agent row', () => {
    const row = rowOf('eu/api', check, [pair('eu', 'up')]);
    expect(rowAccessibleName(row, { label: 'Up' })).toBe('api: Up, on eu, http https://api.example');
  });
});
