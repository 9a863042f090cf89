import type { StreamedResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { checkState } from './checkState.ts';

const last = (success: boolean, error?: string): StreamedResult => ({
  id: '00000000-0000-4000-8000-0000000000aa',
  checkId: 'c',
  type: 'tcp',
  target: 'db:5432',
  time: '2026-03-01T12:00:00.000Z',
  success,
  durationMs: success ? 3 : null,
  error,
  metrics: {},
  agentId: '00000000-0000-4000-8000-000000000001',
  agentName: 'a',
});

describe('checkState', () => {
  it('waits when there is nothing yet', () => {
    expect(checkState('online', undefined, [], [])).toEqual({ health: 'waiting' });
  });

  it('follows the newest live result, with its error text', () => {
    expect(checkState('online', last(false, 'connect timeout'), [], [])).toMatchObject({
      health: 'failing',
      error: 'connect timeout',
    });
    expect(checkState('online', last(true), [], []).health).toBe('ok');
  });

  it('uses the last history bucket with runs before any live result', () => {
    const t = Date.parse('2026-03-01T12:00:00Z');
    const history = [
      { t, avg: null, count: 3, failures: 3 },
      { t: t + 10_000, avg: null, count: 0, failures: 0 },
    ];
    expect(checkState('online', undefined, history, []).health).toBe('failing');
  });

  it('never shows a stale OK for an agent that is stopped or offline', () => {
    expect(checkState('stopped', last(true), [], []).health).toBe('paused');
    expect(checkState('offline', last(true), [], []).health).toBe('offline');
    expect(checkState('offline', undefined, [], []).health).toBe('offline');
    // a pending agent has simply not reported yet
    expect(checkState('pending', undefined, [], []).health).toBe('waiting');
    // a failure stays visible
    expect(checkState('offline', last(false, 'x'), [], []).health).toBe('failing');
  });
});
