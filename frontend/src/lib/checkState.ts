import type { AgentStatus, CheckType, StreamedResult } from '@nop/protocol';
import type { ConnectionState } from '../store/live.ts';
import { resultTime } from './resultTime.ts';

/**
 * What the overview says about a check on one agent, and about a check over all its agents.
 * The rule behind "stale looks stale": a colour is only shown for data that is current. When the
 * stream is down, the agent is stopped or offline, or the newest result is older than two
 * intervals, the state is `stale` (neutral) with the reason and since when, never the last
 * green or red — a stopped agent's check must not read "Failing".
 */
export type OverviewStatus = 'down' | 'degraded' | 'stale' | 'waiting' | 'up' | 'disabled';

/** Why a state is stale (the data may be fine, it is just not current). */
export type StaleReason = 'stream' | 'agent-stopped' | 'agent-offline' | 'old';
/** Why there is nothing to show yet. */
export type WaitReason = 'agent-pending' | 'first-result' | 'no-agents';

/** Failing first: the order of every status sort and of the header. */
export const SEVERITY: Readonly<Record<OverviewStatus, number>> = {
  down: 0,
  degraded: 1,
  stale: 2,
  waiting: 3,
  up: 4,
  disabled: 5,
};

export interface PairState {
  status: OverviewStatus;
  reason?: StaleReason | WaitReason;
  /** epoch ms the reason holds since, when known (the last result, the agent's last contact, the drop) */
  since?: number;
  /** the failed run's error, for `down` */
  error?: string;
  /** loss ratio 0..1 of a degraded ICMP run */
  loss?: number;
}

export interface PairInput {
  enabled: boolean;
  type: CheckType;
  /** the check's interval, ms */
  interval: number;
  agentStatus: AgentStatus;
  agentLastSeen: string | null;
  result: Pick<StreamedResult, 'time' | 'success' | 'metrics' | 'error'> | null;
}

export interface StreamState {
  connection: ConnectionState;
  downSince: number | null;
}

/**
 * Slack on top of two intervals: the agent seals a batch every second and the stream batches
 * frames, so a 1 s check's newest result is routinely ~1.5 s old; without it fast checks would
 * flicker to stale. Results carry the agent's clock, so this also absorbs small clock skew.
 */
export const STALE_GRACE_MS = 5_000;

/** A result older than this is no longer "now". */
export const staleAfterMs = (intervalMs: number): number => 2 * intervalMs + STALE_GRACE_MS;

const parseTime = (iso: string | null | undefined): number | undefined => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/**
 * One check on one agent. The rules in order (first match wins):
 * 1. the check is disabled -> disabled
 * 2. the stream is down (a reconnect is under way) -> stale since the drop: nothing is live
 * 3. the agent is stopped -> stale "agent stopped" (whatever its last result said)
 * 4. the agent is offline -> stale since it was last seen
 * 5. the agent never connected -> waiting
 * 6. no result yet -> waiting
 * 7. the newest result is older than two intervals (+ grace) -> stale since that result
 * 8. the result failed -> down; an ICMP run that lost some echoes -> degraded; else up
 */
export function pairState(input: PairInput, stream: StreamState, nowMs: number): PairState {
  const { result } = input;
  const t = result ? resultTime(result) : NaN;
  const runTime = Number.isNaN(t) ? undefined : t;
  if (!input.enabled) return { status: 'disabled' };
  if (stream.connection === 'reconnecting') {
    return { status: 'stale', reason: 'stream', since: stream.downSince ?? undefined };
  }
  if (input.agentStatus === 'stopped') return { status: 'stale', reason: 'agent-stopped', since: runTime };
  if (input.agentStatus === 'offline') {
    return { status: 'stale', reason: 'agent-offline', since: parseTime(input.agentLastSeen) ?? runTime };
  }
  if (input.agentStatus === 'pending') return { status: 'waiting', reason: 'agent-pending' };
  if (!result || runTime === undefined) return { status: 'waiting', reason: 'first-result' };
  if (nowMs - runTime > staleAfterMs(input.interval)) return { status: 'stale', reason: 'old', since: runTime };
  if (!result.success) return { status: 'down', since: runTime, error: result.error };
  const loss = result.metrics.loss_ratio;
  // Traceroute reports loss too, but silent hops are normal there: only ping loss degrades.
  if (input.type === 'icmp' && loss !== undefined && loss > 0) return { status: 'degraded', since: runTime, loss };
  return { status: 'up', since: runTime };
}

export interface CheckAggregate extends PairState {
  /** agents whose state is up or degraded (the check answers from there) */
  up: number;
  /** agents running the check */
  total: number;
  /** agents whose state is stale */
  stale: number;
  /** agents whose state is down */
  down: number;
}

/**
 * A check over all its agents, judged from the agents with current data:
 * every current agent down -> down; some down or degraded -> degraded; all current up -> up.
 * With no current agent: stale when any is stale (its reason, when they share one), else waiting.
 */
export function aggregateState(enabled: boolean, pairs: readonly PairState[]): CheckAggregate {
  // One pass: this runs for every check each time the overview is judged again.
  let down = 0;
  let degraded = 0;
  let upOnly = 0;
  let stale = 0;
  let pending = 0;
  let worstLoss = 0;
  let firstDown: PairState | undefined;
  let staleReason: PairState['reason'] | null | undefined;
  let staleSince: number | undefined;
  for (const p of pairs) {
    if (p.status === 'down') {
      down++;
      firstDown ??= p;
    } else if (p.status === 'degraded') {
      degraded++;
      if (p.loss !== undefined && p.loss > worstLoss) worstLoss = p.loss;
    } else if (p.status === 'up') upOnly++;
    else if (p.status === 'stale') {
      stale++;
      // the reason when every stale agent shares it, else null
      staleReason = staleReason === undefined || staleReason === p.reason ? p.reason : null;
      // the oldest "since": the check has been without current data at least that long
      if (p.since !== undefined && (staleSince === undefined || p.since < staleSince)) staleSince = p.since;
    } else if (p.reason === 'agent-pending') pending++;
  }
  const base = { up: upOnly + degraded, total: pairs.length, stale, down };
  if (!enabled) return { ...base, status: 'disabled' };
  if (pairs.length === 0) return { ...base, status: 'waiting', reason: 'no-agents' };
  const current = down + degraded + upOnly;
  if (current === 0) {
    if (stale === 0) {
      return { ...base, status: 'waiting', reason: pending === pairs.length ? 'agent-pending' : 'first-result' };
    }
    return { ...base, status: 'stale', reason: staleReason ?? undefined, since: staleSince };
  }
  if (down === current) return { ...base, status: 'down', since: firstDown!.since, error: firstDown!.error };
  if (down > 0 || degraded > 0) return { ...base, status: 'degraded', loss: worstLoss || undefined };
  return { ...base, status: 'up' };
}

/** Words for a state: a short label for the badge and, where it helps, a line saying since when. */
export interface StateText {
  label: string;
  detail?: string;
}

const SHORT: Readonly<Record<OverviewStatus, string>> = {
  down: 'Down',
  degraded: 'Degraded',
  stale: 'Stale',
  waiting: 'Waiting',
  up: 'Up',
  disabled: 'Disabled',
};

/** The label of a status alone (filters, the header's counts). */
export const statusLabel = (status: OverviewStatus): string => SHORT[status];

/**
 * The state in words. `time` prints an epoch ms as a clock time (lib/format.ts), passed in so this
 * stays pure and testable.
 */
export function describeState(state: PairState | CheckAggregate, time: (ms: number) => string): StateText {
  const at = (prefix: string) => (state.since === undefined ? prefix : `${prefix} since ${time(state.since)}`);
  switch (state.reason) {
    case 'stream':
      return { label: 'No live data', detail: at('no live data') };
    case 'agent-stopped':
      return {
        label: 'Agent stopped',
        detail: state.since === undefined ? 'agent stopped' : `agent stopped, last result ${time(state.since)}`,
      };
    case 'agent-offline':
      return { label: 'Agent offline', detail: at('agent offline') };
    case 'old':
      return { label: 'Stale', detail: at('stale') };
    case 'agent-pending':
      return { label: 'Waiting', detail: 'agent never connected' };
    case 'first-result':
      return { label: 'Waiting', detail: 'waiting for the first result' };
    case 'no-agents':
      return { label: 'No agents', detail: 'no agent runs this check' };
  }
  if (state.status === 'down') return { label: 'Down', detail: state.error };
  if (state.status === 'degraded') {
    const down = 'down' in state && state.down > 0 ? `down on ${state.down} of ${state.total} agents` : undefined;
    const loss = state.loss ? `${Math.round(state.loss * 100)}% loss` : undefined;
    return { label: 'Degraded', detail: [down, loss].filter(Boolean).join(', ') || undefined };
  }
  if (state.status === 'stale') return { label: 'Stale', detail: at('stale') };
  return { label: SHORT[state.status] };
}
