import type { StreamedResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { keepRecent, newLiveResults } from './checkLive.ts';

const result = (id: string, agentId: string, checkId: string, s: number) =>
  ({ id, agentId, checkId, time: new Date(s * 1000).toISOString() }) as StreamedResult;

describe('newLiveResults', () => {
  it('yields each pair’s newest result once, for this check only', () => {
    const checks = {
      'a/ping': { points: [], last: result('1', 'a', 'ping', 1) },
      'b/ping': { points: [], last: result('2', 'b', 'ping', 1) },
      'a/ping2': { points: [], last: result('3', 'a', 'ping2', 1) },
      'c/ping': { points: [] },
    };
    const first = newLiveResults(new Map(), checks, 'ping');
    expect(first.fresh.map((r) => r.id)).toEqual(['1', '2']);
    expect(newLiveResults(first.seen, checks, 'ping').fresh).toEqual([]);
    const later = { ...checks, 'a/ping': { points: [], last: result('4', 'a', 'ping', 2) } };
    expect(newLiveResults(first.seen, later, 'ping').fresh.map((r) => r.id)).toEqual(['4']);
  });
});

describe('keepRecent', () => {
  it('adds new results in time order, without repeats, within the window and the cap', () => {
    const list = [result('1', 'a', 'c', 10), result('2', 'a', 'c', 20)];
    const fresh = [result('3', 'a', 'c', 15), result('2', 'a', 'c', 20), result('0', 'a', 'c', 1)];
    expect(keepRecent(list, fresh, 5000, 10).map((r) => r.id)).toEqual(['1', '3', '2']);
    expect(keepRecent(list, fresh, 5000, 2).map((r) => r.id)).toEqual(['3', '2']);
  });
});
