import type { StreamedResult } from '@nop/protocol';
import { create } from 'zustand';
import { appendResults, checkKey, type CheckLive } from '../lib/liveSeries.ts';

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting';

/**
 * Live data from /ws/stream, per check. Kept outside React Query because it is pushed, not
 * fetched, and grows point by point. Each check is its own entry so a result re-renders one card.
 */
interface LiveState {
  connection: ConnectionState;
  /** epoch ms of the next reconnect attempt, when waiting for one (lets the header count down) */
  retryAt: number | null;
  /**
   * epoch ms since when the stream has been down (the first 'reconnecting'), null while it is live
   * or has not yet tried: the overview greys every check out with "no live data since …".
   */
  downSince: number | null;
  checks: Record<string, CheckLive>;
  setConnection: (connection: ConnectionState, retryAt?: number | null) => void;
  addResults: (results: StreamedResult[], nowMs: number) => void;
  /** drops chart points (not the last result) so history refetched after a gap can fill it */
  resetSeries: () => void;
  clear: () => void;
}

export const useLive = create<LiveState>()((set) => ({
  connection: 'idle',
  retryAt: null,
  downSince: null,
  checks: {},
  setConnection: (connection, retryAt = null) =>
    set((state) => ({ connection, retryAt, downSince: nextDownSince(state.downSince, connection, Date.now()) })),
  addResults: (results, nowMs) =>
    set((state) => {
      const byKey = new Map<string, StreamedResult[]>();
      for (const r of results) {
        const key = checkKey(r.agentId, r.checkId);
        const list = byKey.get(key);
        if (list) list.push(r);
        else byKey.set(key, [r]);
      }
      const checks = { ...state.checks };
      for (const [key, list] of byKey) checks[key] = appendResults(checks[key], list, nowMs);
      return { checks };
    }),
  resetSeries: () =>
    set((state) => {
      const checks: Record<string, CheckLive> = {};
      for (const [key, live] of Object.entries(state.checks)) checks[key] = { points: [], last: live.last };
      return { checks };
    }),
  clear: () => set({ checks: {}, connection: 'idle', retryAt: null, downSince: null }),
}));

/**
 * The first failed attempt starts the outage and later retries keep its start; only 'live' (or
 * signing out) ends it. 'connecting' is the very first attempt, not an outage yet.
 */
export function nextDownSince(prev: number | null, connection: ConnectionState, nowMs: number): number | null {
  if (connection === 'reconnecting') return prev ?? nowMs;
  if (connection === 'connecting') return prev;
  return null;
}

export const useCheckLive = (agentId: string, checkId: string): CheckLive | undefined =>
  useLive((s) => s.checks[checkKey(agentId, checkId)]);
