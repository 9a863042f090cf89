import type {
  ExportFormat,
  HistoryMetricsResponse,
  MetricsSummaryResponse,
  ResultStatus,
  ResultsPage,
} from '@nop/protocol';
import { apiUrl } from '../lib/url.ts';
import { attachmentName, exportQuery, type ExportFilters } from '../lib/resultExport.ts';
import { API_BASE } from './config.ts';
import { request } from './client.ts';
import { toApiError } from './problem.ts';

/** The History API of one check: stored results, bucketed statistics, a summary per agent, the export. */

const iso = (ms: number) => new Date(ms).toISOString();

export interface ResultsFilter {
  checkId: string;
  agentId?: string;
  status?: ResultStatus;
  fromMs?: number;
  toMs?: number;
}

/** One page of results, newest first. */
export const fetchResults = (f: ResultsFilter, cursor?: string, limit = 50, signal?: AbortSignal) =>
  request<ResultsPage>('GET', '/api/v1/results', {
    query: {
      check_id: f.checkId,
      agent_id: f.agentId,
      status: f.status,
      from: f.fromMs === undefined ? undefined : iso(f.fromMs),
      to: f.toMs === undefined ? undefined : iso(f.toMs),
      limit,
      cursor,
    },
    signal,
  });

/** Per-agent buckets of `metric` (latency_ms or a result metric) with percentiles, loss, jitter, uptime. */
export const fetchCheckMetrics = (
  q: { checkId: string; metric: string; fromMs: number; toMs: number; stepMs: number },
  signal?: AbortSignal,
) =>
  request<HistoryMetricsResponse>('GET', '/api/v1/metrics', {
    query: { check_id: q.checkId, metric: q.metric, from: iso(q.fromMs), to: iso(q.toMs), step: `${q.stepMs / 1000}s` },
    signal,
  });

/** Uptime, latency percentiles, loss and jitter per agent over the range. */
export const fetchCheckSummary = (q: { checkId: string; fromMs: number; toMs: number }, signal?: AbortSignal) =>
  request<MetricsSummaryResponse>('GET', '/api/v1/metrics/summary', {
    query: { check_id: q.checkId, from: iso(q.fromMs), to: iso(q.toMs) },
    signal,
  });

/**
 * Downloads the export and hands it to the browser as a file. The API reads its credential from the
 * Authorization header only, so this is a fetch (with the session's token), not a link; the body is
 * held in memory until saved.
 */
export async function downloadExport(f: ExportFilters, format: ExportFormat, token: string | null): Promise<string> {
  const response = await fetch(apiUrl(API_BASE, '/api/v1/results/export', exportQuery(f, format)), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw toApiError(response.status, body);
  }
  const blob = await response.blob();
  const name = attachmentName(response.headers.get('content-disposition'), `${f.checkId}-results.${format}`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // the click has handed the blob to the download; revoke once the current task is done
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return name;
}
