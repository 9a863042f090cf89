import type { StreamedResult } from '@nop/protocol';
import type { AgentSeries } from './historyBuckets.ts';

/**
 * The check's state over time, per agent: runs that went ok, failed, or — for a bucket of several
 * runs — partly failed. Consecutive samples of one state make a segment; a state that differs from
 * the one before it is a change (ok → failed → ok), which is what people scan the timeline for.
 */
export type RunState = 'ok' | 'failed' | 'partial';

export interface StateSample {
  agentId: string;
  /** epoch ms the sample starts */
  t: number;
  /** epoch ms it stands until (next run expected, bucket end) */
  end: number;
  state: RunState;
}

export interface Segment {
  state: RunState;
  from: number;
  to: number;
  samples: number;
}

export interface StateChange {
  agentId: string;
  t: number;
  from: RunState;
  to: RunState;
}

export interface AgentTimeline {
  agentId: string;
  segments: Segment[];
  changes: StateChange[];
}

/** One sample per result; each stands for one interval unless the next run comes sooner. */
export function samplesFromResults(results: readonly StreamedResult[], intervalMs: number): StateSample[] {
  return results.map((r) => {
    const t = Date.parse(r.time);
    return { agentId: r.agentId, t, end: t + intervalMs, state: r.success ? 'ok' : 'failed' };
  });
}

/** One sample per bucket that had runs: for ranges with too many results to fetch one by one. */
export function samplesFromBuckets(series: readonly AgentSeries[], stepMs: number): StateSample[] {
  const out: StateSample[] = [];
  for (const s of series)
    for (const p of s.points) {
      if (p.count === 0) continue;
      const state: RunState = p.failures === 0 ? 'ok' : p.failures >= p.count ? 'failed' : 'partial';
      out.push({ agentId: s.agentId, t: p.t, end: p.t + stepMs, state });
    }
  return out;
}

/**
 * Segments and changes per agent, clipped to `range`. A gap (no sample until a sample's `end`)
 * ends the segment there, so an agent that was offline shows as empty, not as its last state.
 */
export function stateTimeline(
  samples: readonly StateSample[],
  range: { fromMs: number; toMs: number },
): Map<string, AgentTimeline> {
  const byAgent = new Map<string, StateSample[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.t) || s.t >= range.toMs || s.end <= range.fromMs) continue;
    const list = byAgent.get(s.agentId);
    if (list) list.push(s);
    else byAgent.set(s.agentId, [s]);
  }
  const out = new Map<string, AgentTimeline>();
  for (const [agentId, list] of byAgent) {
    list.sort((a, b) => a.t - b.t);
    const segments: Segment[] = [];
    const changes: StateChange[] = [];
    let previous: RunState | null = null;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const next = list[i + 1];
      const from = Math.max(s.t, range.fromMs);
      const to = Math.min(next ? Math.min(next.t, s.end) : s.end, range.toMs);
      if (previous !== null && previous !== s.state) changes.push({ agentId, t: s.t, from: previous, to: s.state });
      previous = s.state;
      const last = segments.at(-1);
      if (last && last.state === s.state && last.to >= from) {
        last.to = Math.max(last.to, to);
        last.samples++;
      } else segments.push({ state: s.state, from, to: Math.max(to, from), samples: 1 });
    }
    out.set(agentId, { agentId, segments, changes });
  }
  return out;
}

/** Every agent's changes in one list, newest first: the timeline's table. */
export function allChanges(timelines: Iterable<AgentTimeline>): StateChange[] {
  return [...timelines].flatMap((t) => t.changes).sort((a, b) => b.t - a.t);
}
