import { z } from 'zod';
import { CheckId, CheckType } from './checks.ts';

/** One probe of a traceroute hop: who answered (null = nothing within the probe timeout) and when. */
export const HopProbe = z.strictObject({
  address: z.string().nullable(),
  rttMs: z.number().nonnegative().nullable(),
});

export const Hop = z.strictObject({
  ttl: z.number().int().min(1).max(255),
  probes: z.array(HopProbe),
  /** reverse-DNS names of the addresses that answered, when asked for */
  names: z.record(z.string(), z.string()).optional(),
});

/** The path one flow id took: hops in TTL order until the destination answered (or maxHops). */
export const TraceFlow = z.strictObject({
  flowId: z.number().int().nonnegative(),
  hops: z.array(Hop),
  reached: z.boolean(),
});

/** A traceroute run as data, for the topology map and for diffing routes over time. */
export const TraceDetails = z.strictObject({
  mode: z.enum(['udp', 'tcp', 'icmp']),
  /** how probes were sent and answers read: no raw socket (errqueue), or a raw socket */
  method: z.enum(['errqueue', 'raw']),
  destination: z.string(),
  flows: z.array(TraceFlow),
  /** a short hash of the hop addresses of every flow: equal fingerprints, same route */
  fingerprint: z.string(),
});
export type TraceDetails = z.infer<typeof TraceDetails>;

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
  /** traceroute runs: the hops of each flow */
  trace: TraceDetails.optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A result as the backend streams it: with the agent it came from. */
export const StreamedResult = CheckResult.extend({
  agentId: z.uuid(),
  agentName: z.string(),
});
export type StreamedResult = z.infer<typeof StreamedResult>;
