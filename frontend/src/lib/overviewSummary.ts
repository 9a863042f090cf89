import type { AgentStatus } from '@nop/protocol';
import type { OverviewStatus } from './checkState.ts';
import { latencyOf, type CheckRow } from './overviewModel.ts';

/** The overview header's figures: how many checks are in each state, agents by status, the worst now. */

export interface Worst {
  value: number;
  checkId: string;
  agentName: string;
}

export interface OverviewSummary {
  checks: Record<OverviewStatus, number>;
  totalChecks: number;
  agents: Record<AgentStatus, number>;
  totalAgents: number;
  /** the highest latency of a run that is current (up or degraded), and where */
  worstLatency: Worst | null;
  /** the highest ICMP loss of a current run that still got answers */
  worstLoss: Worst | null;
}

const zeroChecks = (): Record<OverviewStatus, number> => ({
  down: 0,
  degraded: 0,
  stale: 0,
  waiting: 0,
  up: 0,
  disabled: 0,
});

export function summarize(rows: readonly CheckRow[], agents: ReadonlyArray<{ status: AgentStatus }>): OverviewSummary {
  const checks = zeroChecks();
  let worstLatency: Worst | null = null;
  let worstLoss: Worst | null = null;
  for (const row of rows) {
    checks[row.state.status]++;
    for (const pair of row.pairs) {
      if (pair.state.status !== 'up' && pair.state.status !== 'degraded') continue;
      const latency = latencyOf(row.check.type, pair.result);
      if (latency !== null && (!worstLatency || latency > worstLatency.value)) {
        worstLatency = { value: latency, checkId: row.check.id, agentName: pair.agentName };
      }
      const loss = row.check.type === 'icmp' ? pair.result?.metrics.loss_ratio : undefined;
      if (loss !== undefined && loss > 0 && (!worstLoss || loss > worstLoss.value)) {
        worstLoss = { value: loss, checkId: row.check.id, agentName: pair.agentName };
      }
    }
  }
  const byStatus: Record<AgentStatus, number> = { online: 0, offline: 0, stopped: 0, pending: 0 };
  for (const agent of agents) byStatus[agent.status]++;
  return {
    checks,
    totalChecks: rows.length,
    agents: byStatus,
    totalAgents: agents.length,
    worstLatency,
    worstLoss,
  };
}
