import type { Agent, StreamedResult } from '@nop/protocol';
import type { HistoryPoint, LivePoint } from './liveSeries.ts';

export type CheckHealth = 'ok' | 'failing' | 'waiting' | 'paused' | 'offline';

export interface CheckState {
  health: CheckHealth;
  /** the last run's error, when it failed */
  error?: string;
  /** when the last run happened, ISO */
  lastTime?: string;
}

/**
 * What a card headlines. The newest live result decides; before one arrives the last history
 * bucket does. An agent that is stopped or offline overrides a green, so a stale OK is never shown;
 * a failure stays visible whatever the agent does.
 */
export function checkState(
  agentStatus: Agent['status'],
  last: StreamedResult | undefined,
  history: HistoryPoint[],
  live: LivePoint[],
): CheckState {
  const lastLive = live[live.length - 1];
  let state: CheckState;
  if (last) {
    state = {
      health: last.success ? 'ok' : 'failing',
      error: last.success ? undefined : last.error,
      lastTime: last.time,
    };
  } else if (lastLive) {
    state = { health: lastLive.ok ? 'ok' : 'failing', lastTime: new Date(lastLive.t).toISOString() };
  } else {
    const bucket = [...history].reverse().find((h) => h.count > 0);
    state = bucket
      ? { health: bucket.failures >= bucket.count ? 'failing' : 'ok', lastTime: new Date(bucket.t).toISOString() }
      : { health: 'waiting' };
  }
  if (state.health === 'failing') return state;
  if (agentStatus === 'stopped') return { ...state, health: 'paused' };
  if (agentStatus === 'offline') return { ...state, health: 'offline' };
  return state;
}
