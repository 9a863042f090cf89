import { CheckId, ExportFormat, ResultStatus } from '@nop/protocol';
import { z } from 'zod';
import { Instant } from '../../http/instant.ts';
import { pageParams } from '../../http/paging.ts';

/** What the History API filters results by; times are epoch milliseconds, `to` exclusive. */
export interface ResultFilters {
  agentId?: string;
  checkId?: string;
  status?: ResultStatus;
  from?: number;
  to?: number;
}

const DAY_MS = 86_400_000;
/** The export's default window: the last day. */
export const EXPORT_DEFAULT_RANGE_MS = DAY_MS;

const filterParams = {
  agent_id: z.uuid('must be an agent id (UUID)').optional(),
  check_id: CheckId.optional(),
  status: z.enum(ResultStatus.options, 'must be ok or failed').optional(),
  from: Instant.optional(),
  to: Instant.optional(),
};

/** from < to when both are given; the error names `from`, as the other ranges of the API do. */
function checkOrder(q: { from?: number; to?: number }, ctx: z.RefinementCtx) {
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to)
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
}

const filtersOf = (q: { agent_id?: string; check_id?: string; status?: ResultStatus }) => ({
  agentId: q.agent_id,
  checkId: q.check_id,
  status: q.status,
});

/**
 * GET /api/v1/results. No default range: the page size bounds the work of a page, and the
 * (time, id), (agent_id, check_id, time), (check_id, time, id) and failed-only indexes serve the
 * filters in time order (db/migrations/0005_results_indexes.up.sql).
 */
export const ResultsQuery = z
  .strictObject({ ...filterParams, ...pageParams })
  .superRefine(checkOrder)
  .transform((q) => ({
    filters: { ...filtersOf(q), from: q.from, to: q.to } satisfies ResultFilters,
    limit: q.limit,
    cursor: q.cursor,
  }));
export type ResultsQuery = z.output<typeof ResultsQuery>;

/**
 * GET /api/v1/results/export: any range (it is streamed, never held), by default the last 24 h.
 */
export const ExportQuery = z
  .strictObject({
    ...filterParams,
    format: z.enum(ExportFormat.options, 'must be csv or ndjson').default('csv'),
  })
  .transform((q, ctx) => {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - EXPORT_DEFAULT_RANGE_MS;
    checkOrder({ from, to }, ctx);
    return { filters: { ...filtersOf(q), from, to } as ResultFilters & { from: number; to: number }, format: q.format };
  });
export type ExportQuery = z.output<typeof ExportQuery>;

/** GET /api/v1/results/latest: the configured pairs of one agent and/or one check id. */
export const LatestQuery = z
  .strictObject({ agent_id: filterParams.agent_id, check_id: filterParams.check_id })
  .transform((q) => ({ agentId: q.agent_id, checkId: q.check_id }));
export type LatestQuery = z.output<typeof LatestQuery>;
