import { z } from 'zod';
import { Duration } from './duration.ts';

/** The probes an agent can run. Each has one prober file in agents/src/checks/. */
export const CheckType = z.enum(['icmp', 'http', 'tcp', 'dns']);
export type CheckType = z.infer<typeof CheckType>;

/** Check ids are stable names used in URLs, metrics labels and the results table. */
export const CheckId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'must be 1-64 chars of a-z, 0-9, "_", "-", "." starting with a letter or digit',
  );

const base = {
  id: CheckId,
  target: z.string().min(1).max(2048),
  interval: Duration.default(10_000),
  timeout: Duration.default(5_000),
};

export const IcmpCheck = z.strictObject({
  ...base,
  type: z.literal('icmp'),
  /** echoes per run */
  count: z.number().int().min(1).max(100).default(3),
  /** payload bytes */
  size: z.number().int().min(0).max(65_000).default(56),
});

export const HttpCheck = z.strictObject({
  ...base,
  type: z.literal('http'),
  target: z.url({ protocol: /^https?$/ }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  /** accepted status codes; default any 2xx/3xx */
  expectStatus: z.array(z.number().int().min(100).max(599)).optional(),
});

export const TcpCheck = z.strictObject({
  ...base,
  type: z.literal('tcp'),
  /** host:port, [v6]:port */
  target: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'must be host:port'),
});

export const DnsCheck = z.strictObject({
  ...base,
  type: z.literal('dns'),
  /** the name to resolve */
  target: z.string().min(1).max(253),
  recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'PTR']).default('A'),
  /** resolver as host or host:port; system resolver when absent */
  server: z.string().optional(),
});

export const CheckSpec = z.discriminatedUnion('type', [IcmpCheck, HttpCheck, TcpCheck, DnsCheck]);
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckSpecInput = z.input<typeof CheckSpec>;
