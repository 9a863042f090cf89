import { z } from 'zod';
import { AgentStatus } from './agents.ts';
import { MetricPoint, MetricSeries, MetricsResponse } from './api.ts';
import { pageOf } from './access.ts';
import { CheckType } from './checks.ts';
import { StreamedResult } from './results.ts';

/**
 * The History API: stored results as a list, an export, per-bucket statistics, a summary per
 * (agent, check) and the latest result of every configured pair. The backend validates its answers'
 * shape in tests with these; the dashboard types its calls with them. Shapes only grow.
 */

/** `?status=` of the results list and export: ok = success, failed = not. */
export const ResultStatus = z.enum(['ok', 'failed']);
export type ResultStatus = z.infer<typeof ResultStatus>;

/** GET /api/v1/results: newest first (time desc, id desc), keyset-paged like every list. */
export const ResultsPage = pageOf(StreamedResult);
export type ResultsPage = z.infer<typeof ResultsPage>;

/** `?format=` of GET /api/v1/results/export. */
export const ExportFormat = z.enum(['csv', 'ndjson']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * The CSV export's header row, in column order (RFC 4180, CRLF; text cells always quoted, an absent
 * duration or error an empty cell). `metrics` is the result's metrics as JSON text. Text starting
 * with = + - @, a tab or a carriage return gets a leading single quote (spreadsheet formula injection).
 */
export const EXPORT_CSV_COLUMNS = [
  'time',
  'agent_id',
  'agent_name',
  'check_id',
  'type',
  'target',
  'success',
  'duration_ms',
  'error',
  'metrics',
] as const;

/** One NDJSON line of the export: the result as the list returns it. */
export const ExportLine = StreamedResult;

/**
 * A bucket of GET /api/v1/metrics: the original figures plus percentiles (p10..p90 draw
 * SmokePing-style "smoke" bands), loss (avg metrics.loss_ratio, 0..1, where runs report it), jitter
 * (avg metrics.jitter_ms) and uptime (share of successful runs, 0..1). null = no value in the bucket.
 */
export const HistoryMetricPoint = MetricPoint.extend({
  p10: z.number().nullable(),
  p25: z.number().nullable(),
  p50: z.number().nullable(),
  p75: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  loss: z.number().nullable(),
  jitter: z.number().nullable(),
  uptime: z.number().min(0).max(1),
});
export type HistoryMetricPoint = z.infer<typeof HistoryMetricPoint>;

/** One series per (agent, check), with the agent's current name for legends. */
export const HistoryMetricSeries = MetricSeries.extend({
  agentName: z.string(),
  points: z.array(HistoryMetricPoint),
});
export type HistoryMetricSeries = z.infer<typeof HistoryMetricSeries>;

/** GET /api/v1/metrics answers with this (a superset of MetricsResponse). */
export const HistoryMetricsResponse = MetricsResponse.extend({ series: z.array(HistoryMetricSeries) });
export type HistoryMetricsResponse = z.infer<typeof HistoryMetricsResponse>;

/**
 * At most this many (agent, check) pairs in one answer of GET /api/v1/results/latest and
 * /api/v1/metrics/summary (2,000 checks on 10 agents fit); beyond it `truncated` is true.
 */
export const LATEST_MAX_PAIRS = 20_000;

/** Latency figures (the results' duration_ms) of a summary; null = no run had a duration. */
export const LatencySummary = z.object({
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  avg: z.number().nullable(),
});

/** One (agent, check) of GET /api/v1/metrics/summary over from..to. */
export const MetricsSummaryItem = z.object({
  agentId: z.uuid(),
  agentName: z.string(),
  checkId: z.string(),
  count: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  /** successful runs in percent, 0..100 */
  uptimePct: z.number().min(0).max(100),
  latency: LatencySummary,
  /** avg metrics.loss_ratio (0..1) where present */
  loss: z.number().nullable(),
  /** avg metrics.jitter_ms where present */
  jitter: z.number().nullable(),
  firstTime: z.string(),
  lastTime: z.string(),
});
export type MetricsSummaryItem = z.infer<typeof MetricsSummaryItem>;

/** GET /api/v1/metrics/summary: by agent name, then check id. */
export const MetricsSummaryResponse = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(MetricsSummaryItem),
  /** true when more than LATEST_MAX_PAIRS pairs had results and the rest were left off */
  truncated: z.boolean(),
});
export type MetricsSummaryResponse = z.infer<typeof MetricsSummaryResponse>;

/** A check in an agent's compiled config, with its latest stored result (null = none yet). */
export const LatestResultItem = z.object({
  agentId: z.uuid(),
  agentName: z.string(),
  agentStatus: AgentStatus,
  checkId: z.string(),
  type: CheckType,
  target: z.string(),
  result: StreamedResult.nullable(),
});
export type LatestResultItem = z.infer<typeof LatestResultItem>;

/** GET /api/v1/results/latest: ordered by agent name, then check id. */
export const LatestResultsResponse = z.object({
  items: z.array(LatestResultItem),
  /** true when more than LATEST_MAX_PAIRS pairs matched and the rest were left off */
  truncated: z.boolean(),
});
export type LatestResultsResponse = z.infer<typeof LatestResultsResponse>;
