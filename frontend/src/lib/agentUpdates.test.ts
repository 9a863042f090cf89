import type { Agent } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { applyAgentUpdates, touchAgents } from './agentUpdates.ts';

const agent = (id: string, status: Agent['status'], lastSeen: string | null): Agent => ({
  id,
  name: `agent-${id.slice(-1)}`,
  type: 'ping',
  ownerId: null,
  managed: false,
  config: { version: 1, checks: [] },
  labels: {},
  location: null,
  status,
  desiredState: 'running',
  lastSeen,
  clockSkewMs: null,
  createdAt: '2026-03-01T00:00:00Z',
});

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('applyAgentUpdates', () => {
  it('patches status and last seen of the named agent only', () => {
    const list = [agent(A, 'pending', null), agent(B, 'online', '2026-03-01T11:00:00Z')];
    const next = applyAgentUpdates(list, [{ id: A, status: 'online', lastSeen: '2026-03-01T12:00:00Z' }]);
    expect(next[0]).toMatchObject({ id: A, status: 'online', lastSeen: '2026-03-01T12:00:00Z' });
    expect(next[1]).toBe(list[1]);
  });

  it('applies the last of several updates for one agent', () => {
    const list = [agent(A, 'online', null)];
    const next = applyAgentUpdates(list, [
      { id: A, status: 'offline', lastSeen: '2026-03-01T12:00:00Z' },
      { id: A, status: 'online', lastSeen: '2026-03-01T12:00:05Z' },
    ]);
    expect(next[0]).toMatchObject({ status: 'online', lastSeen: '2026-03-01T12:00:05Z' });
  });

  it('returns the same array when nothing changed or the agent is unknown', () => {
    const list = [agent(A, 'online', '2026-03-01T12:00:00Z')];
    expect(applyAgentUpdates(list, [{ id: A, status: 'online', lastSeen: '2026-03-01T12:00:00Z' }])).toBe(list);
    expect(applyAgentUpdates(list, [{ id: B, status: 'offline', lastSeen: null }])).toBe(list);
  });

  it('keeps a known last-seen when an update carries none', () => {
    const list = [agent(A, 'online', '2026-03-01T12:00:00Z')];
    expect(applyAgentUpdates(list, [{ id: A, status: 'offline', lastSeen: null }])[0]).toMatchObject({
      status: 'offline',
      lastSeen: '2026-03-01T12:00:00Z',
    });
  });
});

describe('touchAgents', () => {
  it('moves last seen forward for agents that just sent results', () => {
    const list = [agent(A, 'online', '2026-03-01T12:00:00.000Z'), agent(B, 'online', '2026-03-01T12:00:00.000Z')];
    const next = touchAgents(list, new Set([A]), '2026-03-01T12:00:30.000Z');
    expect(next[0]!.lastSeen).toBe('2026-03-01T12:00:30.000Z');
    expect(next[1]).toBe(list[1]);
  });

  it('never moves it backwards, and keeps the array when nothing changed', () => {
    const list = [agent(A, 'online', '2026-03-01T12:01:00.000Z')];
    expect(touchAgents(list, new Set([A]), '2026-03-01T12:00:30.000Z')).toBe(list);
    expect(touchAgents(list, new Set(), '2026-03-01T12:05:00.000Z')).toBe(list);
  });
});
