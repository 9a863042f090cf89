import { z } from 'zod';
import { CheckId, CheckType } from './checks.ts';

/**
 * One run of one check. A failed probe is data (success=false plus an error in words), not an
 * exception. `id` is made by the agent so that a re-sent batch is inserted once (idempotent).
 */
export const CheckResult = z.strictObject({
  id: z.uuid(),
  checkId: CheckId,
  type: CheckType,
  target: z.string().min(1).max(2048),
  /** when the run started, ISO-8601 */
  time: z.iso.datetime({ offset: true }),
  success: z.boolean(),
  /** the headline latency of the run in milliseconds: avg RTT (icmp), total (http), connect (tcp), lookup (dns) */
  durationMs: z.number().nonnegative().nullable(),
  error: z.string().max(2000).optional(),
  /** further numeric figures: rtt_min_ms, rtt_max_ms, loss_ratio, status_code, connect_ms, ttfb_ms, … */
  metrics: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.number()).default({}),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A result as the backend streams it: with the agent it came from. */
export const StreamedResult = CheckResult.extend({
  agentId: z.uuid(),
  agentName: z.string(),
});
export type StreamedResult = z.infer<typeof StreamedResult>;
