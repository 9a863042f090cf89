import { z } from 'zod';
import { Duration } from './duration.ts';
import {
  dnsNameProblem,
  dnsServerProblem,
  hostPortProblem,
  hostProblem,
  httpUrlProblem,
  isIPv4,
  isIPv6,
} from './targets.ts';

/** The probes an agent can run. Each has one prober file in agents/src/checks/. */
export const CheckType = z.enum(['icmp', 'http', 'tcp', 'dns', 'traceroute', 'interface']);
export type CheckType = z.infer<typeof CheckType>;

/** Check ids are stable names used in URLs, metrics labels and the results table. */
export const CheckId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'must be 1-64 chars of a-z, 0-9, "_", "-", "." starting with a letter or digit',
  );

/**
 * The shortest interval a check may have. A run a second (each with its result row, stream frame
 * and metric sample) is the most one check should cost; the backend may ask for more
 * (NOP_MIN_CHECK_INTERVAL), never for less.
 */
export const MIN_CHECK_INTERVAL_MS = 1000;

/** Interval and timeout when a check leaves them out (traceroute: a trace takes longer). */
export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_TRACEROUTE_INTERVAL_MS = 60_000;
export const DEFAULT_TRACEROUTE_TIMEOUT_MS = 30_000;

const Interval = Duration.refine((ms) => ms >= MIN_CHECK_INTERVAL_MS, {
  message: `must be at least ${MIN_CHECK_INTERVAL_MS} ms (1s)`,
});

/** A string whose first problem (a sentence from targets.ts) becomes the issue's message. */
const checked = (schema: z.ZodString, problemOf: (text: string) => string | undefined) =>
  schema.superRefine((text, ctx) => {
    const message = problemOf(text);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });

/** Where packets go (icmp, traceroute): a host name or an IP literal, "[v6]" too; no scheme, path or port. */
const HostTarget = checked(z.string().trim().max(2048), (text) => hostProblem(text, { brackets: true }));

const base = {
  id: CheckId,
  interval: Interval.default(DEFAULT_INTERVAL_MS),
  timeout: Duration.default(DEFAULT_TIMEOUT_MS),
};

type Ctx = z.RefinementCtx;
const isMs = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * A run must end before the next one is due: the scheduler never overlaps a check with itself, so a
 * run that outlasts the interval silently skips the next slot.
 */
function timeoutFitsInterval(spec: { interval: number; timeout: number }, ctx: Ctx): void {
  // below the minimum the interval has its own issue already
  if (!isMs(spec.interval) || !isMs(spec.timeout) || spec.interval < MIN_CHECK_INTERVAL_MS) return;
  if (spec.timeout < spec.interval) return;
  ctx.addIssue({
    code: 'custom',
    path: ['timeout'],
    message: `must be shorter than interval (timeout ${spec.timeout} ms, interval ${spec.interval} ms)`,
  });
}

/** The interface prober samples the counters twice, sampleWindow apart, within the run's timeout. */
function sampleWindowFitsTimeout(spec: { timeout: number; sampleWindow: number }, ctx: Ctx): void {
  if (!isMs(spec.sampleWindow) || !isMs(spec.timeout) || spec.sampleWindow < spec.timeout) return;
  ctx.addIssue({
    code: 'custom',
    path: ['sampleWindow'],
    message: `must be shorter than timeout (sampleWindow ${spec.sampleWindow} ms, timeout ${spec.timeout} ms)`,
  });
}

/** A regular expression given as text; refused when it does not compile. */
const Regex = z
  .string()
  .max(1000)
  .refine((text) => {
    try {
      new RegExp(text);
      return true;
    } catch {
      return false;
    }
  }, 'is not a valid regular expression');

/** Which address family to probe a name over; absent = the first address the name resolves to. */
const IpVersion = z.union([z.literal(4), z.literal(6)]).optional();

const MAX_ECHOES = 100;

export const IcmpCheck = z
  .strictObject({
    ...base,
    type: z.literal('icmp'),
    target: HostTarget,
    /** echoes per run */
    count: z.number().int().min(1).max(MAX_ECHOES).default(3),
    /** time between the echoes of one run */
    echoInterval: Duration.default(100),
    /** payload bytes */
    size: z.number().int().min(0).max(65_000).default(56),
    /** IP time to live of the echo requests (the kernel's default when absent) */
    ttl: z.number().int().min(1).max(255).optional(),
    /** set Don't Fragment (IPv4), to test path MTU with `size` */
    dontFragment: z.boolean().default(false),
    ipVersion: IpVersion,
  })
  .superRefine((spec, ctx) => {
    timeoutFitsInterval(spec, ctx);
    // Echoes go out echoInterval apart and each waits up to `timeout` for its reply, so a run lasts
    // up to (count - 1) * echoInterval + timeout: that, not the timeout alone, must fit.
    const { count, echoInterval, timeout, interval } = spec;
    if (!isMs(echoInterval) || !isMs(timeout) || !isMs(interval) || timeout >= interval) return;
    if (interval < MIN_CHECK_INTERVAL_MS) return; // the interval has its own issue
    if (!Number.isInteger(count) || count <= 1 || count > MAX_ECHOES) return; // out of bounds: its own issue
    const runMs = (count - 1) * echoInterval + timeout;
    if (runMs >= interval)
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message:
          `must leave the run shorter than interval: ${count} echoes ${echoInterval} ms apart, then the ` +
          `timeout, take up to ${runMs} ms (interval ${interval} ms)`,
      });
  });

export const HttpCheck = z
  .strictObject({
    ...base,
    type: z.literal('http'),
    target: checked(z.string().trim().max(2048), httpUrlProblem),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']).default('GET'),
    /** write-only through the API (they often carry credentials): see secrets.ts */
    headers: z
      .record(
        z
          .string()
          .max(256)
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name'),
        z
          .string()
          .max(8192)
          .regex(/^[^\r\n\0]*$/, 'must not contain line breaks'),
      )
      .refine((h) => Object.keys(h).length <= 50, 'at most 50 headers')
      .default({}),
    /** write-only through the API, like headers */
    body: z.string().max(65_536).optional(),
    /** accepted status codes: 200, "2xx", "200-299"; default 200-399 */
    expectStatus: z
      .array(
        z.union([
          z.number().int().min(100).max(599),
          z.string().regex(/^([1-5]xx|[1-5]\d\d-[1-5]\d\d)$/, 'must be a code, "2xx" or a range "200-299"'),
        ]),
      )
      .min(1)
      .optional(),
    /** the body must match this regular expression */
    bodyRegex: Regex.optional(),
    /** assertions on a JSON body: a dotted path ("data.items[0].id") that must exist, equal or match */
    jsonAssertions: z
      .array(
        z.strictObject({
          path: z.string().min(1).max(256),
          equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
          matches: Regex.optional(),
        }),
      )
      .max(50)
      .optional(),
    /** redirects followed before the answer counts (0 = the 3xx is the answer) */
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** verify the server's TLS certificate chain and name */
    tlsVerify: z.boolean().default(true),
    /** HTTP basic authentication (sent as an Authorization header unless `headers` has one) */
    basicAuth: z
      .strictObject({
        username: z
          .string()
          .max(256)
          .regex(/^[^:]*$/, 'must not contain ":"'),
        password: z.string().max(1024),
      })
      .optional(),
    ipVersion: IpVersion,
  })
  .superRefine(timeoutFitsInterval);

export const TcpCheck = z
  .strictObject({
    ...base,
    type: z.literal('tcp'),
    /** host:port, [v6]:port */
    target: checked(z.string().trim().max(2048), hostPortProblem),
    /** do a TLS handshake after connecting (and report the certificate expiry) */
    tls: z.boolean().default(false),
    tlsVerify: z.boolean().default(true),
    /** TLS server name (SNI); the target host when absent */
    serverName: checked(z.string().trim().max(253), (name) =>
      isIPv4(name) || isIPv6(name) ? 'must be a host name: TLS sends no IP address as server name' : hostProblem(name),
    ).optional(),
    /** text to send once connected (\n and \r\n as written) */
    send: z.string().max(4096).optional(),
    /** the reply must match this regular expression */
    expect: Regex.optional(),
    ipVersion: IpVersion,
  })
  .superRefine(timeoutFitsInterval);

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'PTR'] as const;

export const DnsCheck = z
  .strictObject({
    ...base,
    type: z.literal('dns'),
    /** the name to ask about; for PTR an IP address is fine too (the agent asks for its reverse name) */
    target: checked(z.string().trim().max(2048), (text) =>
      isIPv4(text) || isIPv6(text) ? undefined : dnsNameProblem(text, { root: true }),
    ),
    recordType: z.enum(DNS_RECORD_TYPES, { error: `must be one of ${DNS_RECORD_TYPES.join(', ')}` }).default('A'),
    /** resolver as host, host:port, [v6] or [v6]:port (port 53 when absent); system resolver when absent */
    server: checked(z.string().trim().max(300), dnsServerProblem).optional(),
    /** udp falls back to tcp when the answer is truncated */
    transport: z.enum(['udp', 'tcp']).default('udp'),
    /** the response code that counts as success */
    expectRcode: z.enum(['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED']).default('NOERROR'),
    /** every one of these must be among the answers (addresses, names, text as dig prints them) */
    expectAnswers: z.array(z.string().max(1024)).max(50).optional(),
    /** at least one answer must match */
    expectRegex: Regex.optional(),
  })
  .superRefine((spec, ctx) => {
    timeoutFitsInterval(spec, ctx);
    if (spec.recordType !== 'PTR' && (isIPv4(spec.target) || isIPv6(spec.target)))
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `must be a name: an IP address is a query name only with recordType PTR`,
      });
  });

export const TracerouteCheck = z
  .strictObject({
    ...base,
    type: z.literal('traceroute'),
    /** the destination host */
    target: HostTarget,
    interval: Interval.default(DEFAULT_TRACEROUTE_INTERVAL_MS),
    timeout: Duration.default(DEFAULT_TRACEROUTE_TIMEOUT_MS),
    /** probe packets: udp (to high ports), tcp (SYN to `port`) or icmp (echo) */
    mode: z.enum(['udp', 'tcp', 'icmp']).default('udp'),
    /** destination port: udp 33434 and up, tcp 80 by default */
    port: z.number().int().min(1).max(65535).optional(),
    maxHops: z.number().int().min(1).max(64).default(30),
    probesPerHop: z.number().int().min(1).max(10).default(3),
    /** Paris flows per run: each keeps one flow id for the whole trace; several reveal ECMP branches */
    flows: z.number().int().min(1).max(16).default(1),
    /** how long to wait for each probe's answer */
    probeTimeout: Duration.default(1000),
    /** look up hop names (reverse DNS) */
    resolveNames: z.boolean().default(false),
    ipVersion: IpVersion,
  })
  .superRefine(timeoutFitsInterval);

export const InterfaceCheck = z
  .strictObject({
    ...base,
    type: z.literal('interface'),
    /** a network interface name (eth0), or "*" for every interface but loopback */
    target: z.string().regex(/^(\*|[A-Za-z0-9_.:@-]{1,15})$/, 'must be an interface name or "*"'),
    /** rates are measured over this window within each run */
    sampleWindow: Duration.default(1000),
  })
  .superRefine((spec, ctx) => {
    timeoutFitsInterval(spec, ctx);
    sampleWindowFitsTimeout(spec, ctx);
  });

/**
 * A timeout left out fits the interval given: the type's default, or half the interval when that
 * is shorter ("every 2s" alone is a valid check, not an error about a field nobody wrote).
 */
function fitDefaultTimeout(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const check = input as Record<string, unknown>;
  if (check.timeout !== undefined || check.interval === undefined) return input;
  const interval = Duration.safeParse(check.interval);
  if (!interval.success) return input;
  const typeDefault = check.type === 'traceroute' ? DEFAULT_TRACEROUTE_TIMEOUT_MS : DEFAULT_TIMEOUT_MS;
  return interval.data / 2 < typeDefault ? { ...check, timeout: interval.data / 2 } : input;
}

export const CheckVariants = z.discriminatedUnion('type', [
  IcmpCheck,
  HttpCheck,
  TcpCheck,
  DnsCheck,
  TracerouteCheck,
  InterfaceCheck,
]);
export const CheckSpec = z.preprocess(fitDefaultTimeout, CheckVariants);
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckSpecInput = z.input<typeof CheckVariants>;
