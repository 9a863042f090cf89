import type { MetricsResponse } from '@nop/protocol';
import { request } from './client.ts';
import type { HistoryPoint } from '../lib/liveSeries.ts';

export interface HistoryQuery {
  agentId: string;
  checkId: string;
  fromMs: number;
  toMs: number;
  step: string;
  /** the series to aggregate: latency_ms, or a result metric such as rx_bytes_per_second */
  metric: string;
}

/** One check's history of its headline metric, as chart-ready points (bucket start in epoch ms). */
export async function fetchHistory(q: HistoryQuery, signal?: AbortSignal): Promise<HistoryPoint[]> {
  const res = await request<MetricsResponse>('GET', '/api/v1/metrics', {
    query: {
      agent_id: q.agentId,
      check_id: q.checkId,
      metric: q.metric,
      from: new Date(q.fromMs).toISOString(),
      to: new Date(q.toMs).toISOString(),
      step: q.step,
    },
    signal,
  });
  return toHistory(res, q.agentId, q.checkId);
}

/** Picks this check's series (never another check's, even if the backend sends more) and parses its times. */
export function toHistory(res: MetricsResponse, agentId: string, checkId: string): HistoryPoint[] {
  const series = res.series.find((s) => s.agentId === agentId && s.checkId === checkId);
  if (!series) return [];
  return series.points
    .map((p) => ({ t: Date.parse(p.t), avg: p.avg, count: p.count, failures: p.failures }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
}
