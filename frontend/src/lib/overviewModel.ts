import type { AgentStatus, Check, CheckType, StreamedResult } from '@nop/protocol';
import {
  aggregateState,
  pairState,
  staleAfterMs,
  type CheckAggregate,
  type PairState,
  type StreamState,
} from './checkState.ts';
import { checkKey, type CheckLive } from './liveSeries.ts';
import { naturalCompare } from './natural.ts';
import { resultTime } from './resultTime.ts';

/**
 * The overview's rows: one per check, each with a row per agent running it, their newest result
 * (the /results/latest snapshot or a newer streamed one) and the state that follows (checkState.ts).
 */

/** A check as the overview needs it: from /api/v1/checks, or derived from the agents' compiled configs. */
export interface OverviewCheck {
  id: string;
  type: CheckType;
  target: string;
  /** ms */
  interval: number;
  enabled: boolean;
  labels: Record<string, string>;
  /** who runs it, by name order */
  agents: ReadonlyArray<{ id: string; name: string; status?: AgentStatus }>;
}

/** What the overview reads of an agent (the agents list, kept live by the stream's `agent` frames). */
export interface OverviewAgent {
  id: string;
  name: string;
  status: AgentStatus;
  lastSeen: string | null;
}

export interface PairRow {
  /** agentId/checkId, the live store's key */
  key: string;
  agentId: string;
  agentName: string;
  agentStatus: AgentStatus;
  result: StreamedResult | null;
  state: PairState;
}

export interface CheckRow {
  /** unique in a list: the check id, or agentId/checkId for a row of one agent */
  key: string;
  check: OverviewCheck;
  pairs: PairRow[];
  state: CheckAggregate;
  /** the worst (highest) latency among agents with current data; null when none or not a latency check */
  latency: number | null;
  /** the worst ICMP loss ratio (0..1) among agents with current data */
  loss: number | null;
  /** epoch ms of the newest result from any agent */
  lastTime: number | null;
  /** changes whenever anything the row shows changes: rows with an equal one are reused as they are */
  sig: string;
}

const byName = (a: { name: string }, b: { name: string }) => naturalCompare(a.name, b.name);

/** The API's check object reduced to what the overview shows. */
export function fromCheckObject(check: Check): OverviewCheck {
  return {
    id: check.id,
    type: check.type,
    target: check.target,
    interval: check.interval,
    enabled: check.enabled,
    labels: check.labels,
    agents: [...check.agents].sort(byName),
  };
}

/**
 * Checks from the agents' compiled configs (each agent's config lists every check it runs, by the
 * check's global id): what the overview shows when the checks API cannot be read.
 */
export function checksFromAgents(
  agents: ReadonlyArray<
    OverviewAgent & {
      config: { checks: ReadonlyArray<{ id: string; type: CheckType; target: string; interval: number }> };
    }
  >,
): OverviewCheck[] {
  const byId = new Map<string, OverviewCheck & { agents: Array<{ id: string; name: string }> }>();
  for (const agent of agents) {
    for (const spec of agent.config.checks) {
      let check = byId.get(spec.id);
      if (!check) {
        check = {
          id: spec.id,
          type: spec.type,
          target: spec.target,
          interval: spec.interval,
          enabled: true,
          labels: {},
          agents: [],
        };
        byId.set(spec.id, check);
      }
      check.agents.push({ id: agent.id, name: agent.name });
    }
  }
  const checks = [...byId.values()];
  for (const check of checks) check.agents.sort(byName);
  return checks;
}

/** The newer of two results (by run time); either may be missing. */
export function newerResult(
  a: StreamedResult | null | undefined,
  b: StreamedResult | null | undefined,
): StreamedResult | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return resultTime(b) > resultTime(a) ? b : a;
}

export interface RowInputs {
  checks: readonly OverviewCheck[];
  agents: ReadonlyMap<string, OverviewAgent>;
  /** the /results/latest snapshot, by checkKey */
  latest: ReadonlyMap<string, StreamedResult>;
  /** the live store, by checkKey */
  live: Readonly<Record<string, CheckLive>>;
  stream: StreamState;
  nowMs: number;
}

const isCurrent = (state: PairState) => state.status === 'up' || state.status === 'degraded';

/** The latency a row compares: the run's duration, for every type but interface (throughput). */
export const latencyOf = (type: CheckType, result: StreamedResult | null): number | null =>
  type === 'interface' || !result ? null : result.durationMs;

const lossOf = (type: CheckType, result: StreamedResult | null): number | null =>
  type === 'icmp' && result ? (result.metrics.loss_ratio ?? null) : null;

/** A row from its check and its agents' rows: the aggregate, the worst figures, the signature. */
export function rowOf(key: string, check: OverviewCheck, pairs: PairRow[]): CheckRow {
  const state = aggregateState(
    check.enabled,
    pairs.map((p) => p.state),
  );
  let latency: number | null = null;
  let loss: number | null = null;
  let lastTime: number | null = null;
  let sig = `${state.status}|${state.reason}|${state.since}`;
  for (const pair of pairs) {
    if (isCurrent(pair.state)) {
      const l = latencyOf(check.type, pair.result);
      if (l !== null && (latency === null || l > latency)) latency = l;
      const p = lossOf(check.type, pair.result);
      if (p !== null && (loss === null || p > loss)) loss = p;
    }
    const t = pair.result ? resultTime(pair.result) : NaN;
    if (!Number.isNaN(t) && (lastTime === null || t > lastTime)) lastTime = t;
    sig += `;${pair.agentName}:${pair.agentStatus}:${pair.result?.id}:${pair.state.status}:${pair.state.reason}:${pair.state.since}`;
  }
  return { key, check, pairs, state, latency, loss, lastTime, sig };
}

/** Every check's row with its agents' rows, judged now. */
export function buildRows(inputs: RowInputs): CheckRow[] {
  return createRowBuilder()(inputs);
}

/** What a row was built from, to tell whether it must be built again. */
interface Built {
  row: CheckRow;
  check: OverviewCheck;
  /** per agent: the live store's key */
  keys: string[];
  /** per agent: status, name, and last contact (which only shows while offline) */
  agents: string[];
  results: Array<StreamedResult | null>;
  connection: StreamState['connection'];
  downSince: number | null;
  /** when the newest current result turns stale: the row must be judged again from then */
  validUntil: number;
}

const agentSig = (agent: OverviewAgent | undefined, ref: OverviewCheck['agents'][number]) =>
  agent
    ? `${agent.status}|${agent.name}|${agent.status === 'offline' ? agent.lastSeen : ''}`
    : `${ref.status}|${ref.name}|`;

/**
 * buildRows, incremental: remembers what each row was built from and rebuilds only the rows whose
 * check, agents, results or stream state changed, or whose newest result just turned stale. With
 * 2,000 checks a batch of streamed results touches a few dozen rows; the others keep their object,
 * so memoised rows skip re-rendering too.
 */
export function createRowBuilder(): (inputs: RowInputs) => CheckRow[] {
  let cache = new Map<string, Built>();
  return ({ checks, agents, latest, live, stream, nowMs }) => {
    const next = new Map<string, Built>();
    // the same few agents run most checks: their signatures once per build, not once per check
    const sigs = new Map<string, string>();
    const sigOf = (ref: OverviewCheck['agents'][number]) => {
      let sig = sigs.get(ref.id);
      if (sig === undefined) sigs.set(ref.id, (sig = agentSig(agents.get(ref.id), ref)));
      return sig;
    };
    const rows = checks.map((check) => {
      const old = cache.get(check.id);
      const known = old !== undefined && old.check === check;
      const keys = known ? old.keys : check.agents.map((ref) => checkKey(ref.id, check.id));
      const resultOf = (i: number) => newerResult(latest.get(keys[i]!), live[keys[i]!]?.last);
      // The common case, a row nothing touched: compared in place, nothing allocated.
      if (
        known &&
        nowMs < old.validUntil &&
        old.connection === stream.connection &&
        old.downSince === stream.downSince &&
        check.agents.every((ref, i) => old.agents[i] === sigOf(ref) && old.results[i] === resultOf(i))
      ) {
        next.set(check.id, old);
        return old.row;
      }
      const agentSigs = check.agents.map(sigOf);
      const results = check.agents.map((_, i) => resultOf(i));
      let validUntil = Number.POSITIVE_INFINITY;
      const pairs = check.agents.map((ref, i): PairRow => {
        const key = keys[i]!;
        const agent = agents.get(ref.id);
        const result = results[i]!;
        const agentStatus = agent?.status ?? ref.status ?? 'pending';
        const state = pairState(
          {
            enabled: check.enabled,
            type: check.type,
            interval: check.interval,
            agentStatus,
            agentLastSeen: agent?.lastSeen ?? null,
            result,
          },
          stream,
          nowMs,
        );
        if (result && (state.status === 'up' || state.status === 'degraded' || state.status === 'down')) {
          validUntil = Math.min(validUntil, resultTime(result) + staleAfterMs(check.interval) + 1);
        }
        return { key, agentId: ref.id, agentName: agent?.name ?? ref.name, agentStatus, result, state };
      });
      let row = rowOf(check.id, check, pairs);
      // Rebuilt but showing the same: keep the old object, memoised rows stay as they are.
      if (known && old.row.sig === row.sig) row = old.row;
      next.set(check.id, {
        row,
        check,
        keys,
        agents: agentSigs,
        results,
        connection: stream.connection,
        downSince: stream.downSince,
        validUntil,
      });
      return row;
    });
    cache = next;
    return rows;
  };
}
