import { z } from 'zod';
import { CheckId, CheckType } from './checks.ts';

/** One probe of a traceroute hop: who answered (null = nothing within the probe timeout) and when. */
export const HopProbe = z.strictObject({
  address: z.string().max(64).nullable(),
  rttMs: z.number().nonnegative().nullable(),
});

export const Hop = z.strictObject({
  ttl: z.number().int().min(1).max(255),
  /** at most probesPerHop (≤ 10) */
  probes: z.array(HopProbe).max(10),
  /** reverse-DNS names of the addresses that answered, when asked for */
  names: z
    .record(z.string().max(64), z.string().max(255))
    .refine((names) => Object.keys(names).length <= 10, 'at most one name per probe (10)')
    .optional(),
});

/** The path one flow id took: hops in TTL order until the destination answered (or maxHops). */
export const TraceFlow = z.strictObject({
  flowId: z.number().int().nonnegative(),
  /** at most maxHops (≤ 64) */
  hops: z.array(Hop).max(64),
  reached: z.boolean(),
});

/** A traceroute run as data, for the topology map and for diffing routes over time. */
export const TraceDetails = z.strictObject({
  mode: z.enum(['udp', 'tcp', 'icmp']),
  /** how probes were sent and answers read: no raw socket (errqueue), or a raw socket */
  method: z.enum(['errqueue', 'raw']),
  destination: z.string().max(64),
  /** at most `flows` (≤ 16) */
  flows: z.array(TraceFlow).max(16),
  /** a short hash of the hop addresses of every flow: equal fingerprints, same route */
  fingerprint: z.string().max(64),
});
export type TraceDetails = z.infer<typeof TraceDetails>;

/** Answer records a DNS result keeps: enough to read what was answered, bounded whatever the zone holds. */
// Bounded so that a full batch of results (200) of the largest answers stays far below the link's
// 8 MiB message limit: 32 records × 512 characters ≈ 20 KB per result at worst.
export const MAX_DNS_ANSWERS = 32;
export const MAX_DNS_ANSWER_DATA = 512;

/** One answer record as dig prints it. */
export const DnsAnswer = z.strictObject({
  name: z.string().max(255),
  ttl: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  type: z.string().min(1).max(16),
  /** the record's data as dig prints it, cut at MAX_DNS_ANSWER_DATA characters */
  data: z.string().max(MAX_DNS_ANSWER_DATA),
});
export type DnsAnswer = z.infer<typeof DnsAnswer>;

/** What a DNS run was answered: the resolver asked, its response code, the answer records. */
export const DnsDetails = z.strictObject({
  /** the resolver asked, as host:port ("[v6]:port" for IPv6) */
  server: z.string().max(300),
  /** NOERROR, NXDOMAIN, …; absent when nothing was answered */
  rcode: z.string().max(16).optional(),
  answers: z.array(DnsAnswer).max(MAX_DNS_ANSWERS),
  /** answer records left out past MAX_DNS_ANSWERS */
  omitted: z.number().int().nonnegative().optional(),
});
export type DnsDetails = z.infer<typeof DnsDetails>;

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
  /** dns runs: the resolver, response code and answer records */
  dns: DnsDetails.optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A result as the backend streams it: with the agent it came from. */
export const StreamedResult = CheckResult.extend({
  agentId: z.uuid(),
  agentName: z.string(),
});
export type StreamedResult = z.infer<typeof StreamedResult>;
