import { z } from 'zod';
import { Duration } from './duration.ts';

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

const base = {
  id: CheckId,
  target: z.string().min(1).max(2048),
  interval: Duration.default(10_000),
  timeout: Duration.default(5_000),
};

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

export const IcmpCheck = z.strictObject({
  ...base,
  type: z.literal('icmp'),
  /** echoes per run */
  count: z.number().int().min(1).max(100).default(3),
  /** time between the echoes of one run */
  echoInterval: Duration.default(100),
  /** payload bytes */
  size: z.number().int().min(0).max(65_000).default(56),
  /** IP time to live of the echo requests (the kernel's default when absent) */
  ttl: z.number().int().min(1).max(255).optional(),
  /** set Don't Fragment (IPv4), to test path MTU with `size` */
  dontFragment: z.boolean().default(false),
  ipVersion: IpVersion,
});

export const HttpCheck = z.strictObject({
  ...base,
  type: z.literal('http'),
  target: z.url({ protocol: /^https?$/ }),
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
});

export const TcpCheck = z.strictObject({
  ...base,
  type: z.literal('tcp'),
  /** host:port, [v6]:port */
  target: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'must be host:port'),
  /** do a TLS handshake after connecting (and report the certificate expiry) */
  tls: z.boolean().default(false),
  tlsVerify: z.boolean().default(true),
  /** TLS server name (SNI); the target host when absent */
  serverName: z.string().max(253).optional(),
  /** text to send once connected (\n and \r\n as written) */
  send: z.string().max(4096).optional(),
  /** the reply must match this regular expression */
  expect: Regex.optional(),
  ipVersion: IpVersion,
});

export const DnsCheck = z.strictObject({
  ...base,
  type: z.literal('dns'),
  /** the name to resolve */
  target: z.string().min(1).max(253),
  recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'PTR']).default('A'),
  /** resolver as host or host:port; system resolver when absent */
  server: z.string().optional(),
  /** udp falls back to tcp when the answer is truncated */
  transport: z.enum(['udp', 'tcp']).default('udp'),
  /** the response code that counts as success */
  expectRcode: z.enum(['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED']).default('NOERROR'),
  /** every one of these must be among the answers (addresses, names, text as dig prints them) */
  expectAnswers: z.array(z.string().max(1024)).max(50).optional(),
  /** at least one answer must match */
  expectRegex: Regex.optional(),
});

export const TracerouteCheck = z.strictObject({
  ...base,
  type: z.literal('traceroute'),
  /** the destination host */
  target: z.string().min(1).max(253),
  interval: Duration.default(60_000),
  timeout: Duration.default(30_000),
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
});

export const InterfaceCheck = z.strictObject({
  ...base,
  type: z.literal('interface'),
  /** a network interface name (eth0), or "*" for every interface but loopback */
  target: z.string().regex(/^(\*|[A-Za-z0-9_.:@-]{1,15})$/, 'must be an interface name or "*"'),
  /** rates are measured over this window within each run */
  sampleWindow: Duration.default(1000),
});

export const CheckSpec = z.discriminatedUnion('type', [
  IcmpCheck,
  HttpCheck,
  TcpCheck,
  DnsCheck,
  TracerouteCheck,
  InterfaceCheck,
]);
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckSpecInput = z.input<typeof CheckSpec>;
