import { parseDuration } from '@nop/protocol';
import { z } from 'zod';

/** Longest series one request may ask for, so a tiny step over a long range cannot exhaust the server. */
export const MAX_POINTS = 11_000;
const DEFAULT_RANGE_MS = 3_600_000;

/** ISO-8601 ("2026-11-28T10:00:00Z") or epoch seconds ("1764324000", decimals allowed). */
const Instant = z.string().transform((text, ctx) => {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is neither an ISO-8601 time nor epoch seconds` });
    return z.NEVER;
  }
  return ms;
});

/** Seconds ("60", "0.5") or a duration ("10s", "1m"). */
const Step = z.string().transform((text, ctx) => {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || !(ms >= 1000)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a step of at least 1 second (e.g. 60 or 1m)` });
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
