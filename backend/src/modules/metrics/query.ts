import { CheckId, parseDuration } from '@nop/protocol';
import { z } from 'zod';
import { Instant } from '../../http/instant.ts';

/** Longest series one request may ask for, so a tiny step over a long range cannot exhaust the server. */
export const MAX_POINTS = 11_000;
const DEFAULT_RANGE_MS = 3_600_000;
const MAX_STEP_MS = 366 * 86_400_000;
const MAX_RANGE_MS = 400 * 86_400_000;

/** Seconds ("60", "0.5") or a duration ("10s", "1m"). */
const Step = z.string().transform((text, ctx) => {
  const ms = /^\d{1,12}(\.\d{1,9})?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || !(ms >= 1000) || ms > MAX_STEP_MS) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text.slice(0, 40)}" is not a step from 1 second to 366 days (e.g. 60 or 1m)`,
    });
    return z.NEVER;
  }
  return ms;
});

export const MetricsQuery = z
  .strictObject({
    agent_id: z.uuid('must be an agent id (UUID)').optional(),
    check_id: z.string().min(1).max(64).optional(),
    // latency_ms is the headline duration; any other name is one of the results' numeric metrics
    metric: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be latency_ms or a result metric name such as loss_ratio')
      .default('latency_ms'),
    from: Instant.optional(),
    to: Instant.optional(),
    step: Step.optional(),
  })
  .transform((q, ctx) => {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DEFAULT_RANGE_MS;
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    if (to - from > MAX_RANGE_MS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range from..to may span at most 400 days' });
    // by default about 300 points, whole seconds
    const stepMs = q.step ?? Math.max(1000, Math.ceil((to - from) / 300 / 1000) * 1000);
    if ((to - from) / stepMs > MAX_POINTS)
      ctx.addIssue({
        code: 'custom',
        path: ['step'],
        message: `too small for the range: at most ${MAX_POINTS} points`,
      });
    return { agentId: q.agent_id, checkId: q.check_id, metric: q.metric, from, to, stepMs };
  });
export type MetricsQuery = z.output<typeof MetricsQuery>;

const DEFAULT_SUMMARY_RANGE_MS = 86_400_000;

/** GET /api/v1/metrics/summary: one (agent, check) or all of them over from..to (default: the last day). */
export const SummaryQuery = z
  .strictObject({
    agent_id: z.uuid('must be an agent id (UUID)').optional(),
    check_id: CheckId.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .transform((q, ctx) => {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DEFAULT_SUMMARY_RANGE_MS;
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    if (to - from > MAX_RANGE_MS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range from..to may span at most 400 days' });
    return { agentId: q.agent_id, checkId: q.check_id, from, to };
  });
export type SummaryQuery = z.output<typeof SummaryQuery>;
