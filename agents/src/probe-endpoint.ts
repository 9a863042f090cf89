import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { type CheckResult, CheckSpec, type CheckSpecInput, MIN_CHECK_INTERVAL_MS } from '@nop/protocol';
import { runCheck } from './checks/index.ts';

/**
 * GET /probe?target=…&module=… — blackbox_exporter's multi-target pattern on the agent's status
 * server: Prometheus scrapes one URL per target and gets probe_success, probe_duration_seconds and
 * the module's own metrics, under blackbox's names so its dashboards and alerts work unchanged.
 * Every probe is one run of the agent's own prober (runCheck); nothing here measures anything.
 *
 * Modules (built in; `module` defaults to http_2xx as in blackbox):
 * - http_2xx       GET target (a URL; "host[:port][/path]" gets http://), redirects followed (5), 2xx = success
 * - http_post_2xx  the same with POST (an empty body)
 * - tcp_connect    a TCP handshake to target host:port
 * - icmp           one echo request to target (a host); the RTT as probe_icmp_duration_seconds{phase="rtt"}
 * - dns            an A query for the name `target` to the system resolver (first nameserver of
 *                  /etc/resolv.conf), UDP with TCP fallback; success = NOERROR with at least one answer
 * - dns_udp        target = the resolver (host or host:port); the query is `query_name` (required),
 * - dns_tcp          of type `query_type` (A by default), over UDP (falling back to TCP) or TCP only
 * Timeout: the X-Prometheus-Scrape-Timeout-Seconds header minus 0.5 s (as blackbox), else 5 s.
 * Errors: unknown module -> 400 `Unknown module "x"`; missing target -> 400 `Target parameter is
 * missing`; a target the module cannot probe -> 200 with probe_success 0. Why a probe failed is in
 * the X-Probe-Error response header (debug=true returns the run as JSON instead).
 */

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 120_000;
const TIMEOUT_OFFSET_S = 0.5;
const RECORD_TYPES = new Set(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'PTR']);

class BadRequest extends Error {}

interface ProbeModule {
  help: string;
  spec(target: string, params: URLSearchParams): Omit<CheckSpecInput, 'id' | 'timeout'>;
}

const queryType = (params: URLSearchParams): 'A' => {
  const type = (params.get('query_type') ?? 'A').toUpperCase();
  if (!RECORD_TYPES.has(type))
    throw new BadRequest(`query_type "${type}" is not one of ${[...RECORD_TYPES].join(' ')}`);
  return type as 'A';
};

const httpUrl = (target: string) => (/^https?:\/\//i.test(target) ? target : `http://${target}`);

const dnsOver = (transport: 'udp' | 'tcp'): ProbeModule => ({
  help: `query_name (query_type, default A) to the resolver target over ${transport}`,
  spec: (target, params) => {
    const name = params.get('query_name');
    if (!name) throw new BadRequest(`query_name parameter is missing for module dns_${transport}`);
    return { type: 'dns', target: name, server: target, transport, recordType: queryType(params) };
  },
});

export const PROBE_MODULES: Record<string, ProbeModule> = {
  http_2xx: {
    help: 'GET the URL, redirects followed, 2xx is success',
    spec: (target) => ({ type: 'http', target: httpUrl(target), method: 'GET', expectStatus: ['2xx'] }),
  },
  http_post_2xx: {
    help: 'POST to the URL, 2xx is success',
    spec: (target) => ({ type: 'http', target: httpUrl(target), method: 'POST', expectStatus: ['2xx'] }),
  },
  tcp_connect: {
    help: 'TCP handshake to host:port',
    spec: (target) => ({ type: 'tcp', target }),
  },
  icmp: {
    help: 'one ICMP echo to the host',
    spec: (target) => ({ type: 'icmp', target, count: 1 }),
  },
  dns: {
    help: 'A query (or query_type) for the name target to the system resolver',
    spec: (target, params) => ({ type: 'dns', target, recordType: queryType(params) }),
  },
  dns_udp: dnsOver('udp'),
  dns_tcp: dnsOver('tcp'),
};

/** The probe's timeout: the scrape timeout header minus blackbox's 0.5 s offset, else 5 s. */
export function probeTimeoutMs(header: string | string[] | undefined): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (!header || !Number.isFinite(seconds) || seconds <= 0) return DEFAULT_TIMEOUT_MS;
  const ms = Math.round((seconds - TIMEOUT_OFFSET_S) * 1000);
  return Math.min(MAX_TIMEOUT_MS, Math.max(100, ms));
}

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What one /probe query asks for; the same scrape URL comes back every interval. */
interface ProbePlan {
  moduleName: string;
  /** the validated spec, or why the target cannot be probed (answered with probe_success 0) */
  spec: CheckSpec | string;
  debug: boolean;
}

/** Plans by timeout + raw query string: a hit skips parsing the query and validating the spec. */
const planCache = new Map<string, ProbePlan>();
const PLAN_CACHE_SIZE = 1000;

/** Handles GET /probe; answers 400 for a bad request, else 200 with the probe's metrics. */
export function handleProbe(req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  let plan: ProbePlan;
  try {
    plan = planFor(
      mark < 0 ? '' : url.slice(mark + 1),
      probeTimeoutMs(req.headers['x-prometheus-scrape-timeout-seconds']),
    );
  } catch (error) {
    if (error instanceof BadRequest)
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end(`${error.message}\n`);
    throw error;
  }
  const { spec } = plan;
  if (typeof spec === 'string') return void reply(res, render(undefined, undefined, seconds(started)), spec);

  runCheck(spec, connectionSignal(req.socket))
    .then((result) => {
      if (res.destroyed) return;
      if (plan.debug) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`${JSON.stringify({ module: plan.moduleName, spec, result }, null, 2)}\n`);
        return;
      }
      reply(res, render(result, spec, seconds(started)), result.success ? undefined : result.error);
    })
    .catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
    });
}

/** The query's module and spec (cached); throws BadRequest for what blackbox answers with a 400. */
function planFor(query: string, timeout: number): ProbePlan {
  const key = `${timeout}\0${query}`;
  const cached = planCache.get(key);
  if (cached !== undefined) return cached;
  const params = new URLSearchParams(query);
  const moduleName = params.get('module') || 'http_2xx';
  const module = Object.hasOwn(PROBE_MODULES, moduleName) ? PROBE_MODULES[moduleName] : undefined;
  if (!module) throw new BadRequest(`Unknown module "${moduleName}"`);
  const target = params.get('target');
  if (!target) throw new BadRequest('Target parameter is missing');
  const plan = {
    moduleName,
    spec: specFor(moduleName, module, target, params, timeout),
    debug: params.get('debug') === 'true',
  };
  if (planCache.size >= PLAN_CACHE_SIZE) planCache.delete(planCache.keys().next().value!);
  planCache.set(key, plan);
  return plan;
}

function specFor(
  moduleName: string,
  module: ProbeModule,
  target: string,
  params: URLSearchParams,
  timeout: number,
): CheckSpec | string {
  const parsed = CheckSpec.safeParse({
    ...module.spec(target, params),
    id: `probe_${moduleName}`,
    timeout,
    // run once per scrape: the interval only has to be valid (at least the minimum, above the timeout)
    interval: timeout + MIN_CHECK_INTERVAL_MS,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `invalid target "${target}" for module ${moduleName}: ${issue?.path.join('.') || 'spec'} ${issue?.message ?? ''}`;
}

/**
 * One abort signal per client connection, fired when it closes: a probe whose scraper went away
 * stops early. Per connection rather than per request, since scrapers keep connections alive.
 * Pipelined requests run their probes at once, each listening: no listener limit.
 */
const connectionSignals = new WeakMap<Socket, AbortSignal>();

function connectionSignal(socket: Socket): AbortSignal {
  let signal = connectionSignals.get(socket);
  if (signal === undefined) {
    const controller = new AbortController();
    signal = controller.signal;
    setMaxListeners(0, signal);
    socket.once('close', () => controller.abort());
    connectionSignals.set(socket, signal);
  }
  return signal;
}

const OK_HEADERS = { 'content-type': CONTENT_TYPE };

function reply(res: ServerResponse, text: string, error?: string): void {
  const headers = error
    ? { 'content-type': CONTENT_TYPE, 'x-probe-error': error.replace(/[^\x20-\x7e]/g, '?').slice(0, 500) }
    : OK_HEADERS;
  res.writeHead(200, headers).end(text);
}

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/** Prometheus text of one probe, blackbox's names; a metric absent from the run is left out. */
export function render(result: CheckResult | undefined, spec: CheckSpec | undefined, durationS: number): string {
  const out: string[] = [];
  const gauge = (name: string, help: string, value: number | undefined, samples?: [string, number | undefined][]) => {
    if (samples) {
      const present = samples.filter((s): s is [string, number] => s[1] !== undefined && Number.isFinite(s[1]));
      if (present.length === 0) return;
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const [labels, v] of present) out.push(`${name}{${labels}} ${v}`);
      return;
    }
    if (value === undefined || !Number.isFinite(value)) return;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  };
  const s = (ms: number | undefined | null) => (ms === undefined || ms === null ? undefined : ms / 1000);
  const m = result?.metrics ?? {};

  if (result && spec) {
    const ipVersion = m.ip_version || (spec.type === 'icmp' ? (spec.ipVersion ?? (isIP(spec.target) || 4)) : undefined);
    if (spec.type !== 'dns')
      gauge('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds', s(m.dns_ms));
    gauge('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6', ipVersion);
    if (spec.type === 'http') {
      const length = m.content_length ?? m.response_bytes;
      gauge('probe_http_status_code', 'Response HTTP status code', m.status_code ?? 0);
      gauge('probe_http_content_length', 'Length of http content response', length ?? -1);
      gauge('probe_http_uncompressed_body_length', 'Length of uncompressed response body', m.response_bytes ?? 0);
      gauge('probe_http_redirects', 'The number of redirects', m.redirects ?? 0);
      gauge('probe_http_ssl', 'Indicates if SSL was used for the final redirect', m.tls ? 1 : 0);
      gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', m.failed_due_to_regex ?? 0);
      gauge('probe_http_duration_seconds', 'Duration of http request by phase, summed over all redirects', undefined, [
        ['phase="resolve"', s(m.dns_ms)],
        ['phase="connect"', s(m.connect_ms)],
        ['phase="tls"', s(m.tls_ms) ?? (m.connect_ms === undefined ? undefined : 0)],
        ['phase="processing"', s(m.ttfb_ms)],
        ['phase="transfer"', s(m.transfer_ms)],
      ]);
      gauge(
        'nop_probe_http_throughput_bytes_per_second',
        'Download throughput of the final response body',
        m.throughput_bytes_per_second,
      );
    }
    if (spec.type === 'tcp' && spec.expect !== undefined)
      gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', m.failed_due_to_regex ?? 0);
    if (spec.type === 'http' || spec.type === 'tcp')
      gauge('probe_ssl_earliest_cert_expiry', 'Returns last SSL chain expiry in unixtime', m.ssl_earliest_cert_expiry);
    if (spec.type === 'icmp')
      gauge('probe_icmp_duration_seconds', 'Duration of icmp request by phase', undefined, [
        ['phase="resolve"', s(m.dns_ms)],
        ['phase="rtt"', s(result.durationMs) ?? 0],
      ]);
    if (spec.type === 'dns') {
      gauge('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds', s(m.dns_ms));
      gauge('probe_dns_answer_rrs', 'Returns number of entries in the answer resource record list', m.answers ?? 0);
      gauge(
        'probe_dns_authority_rrs',
        'Returns number of entries in the authority resource record list',
        m.authority ?? 0,
      );
      gauge(
        'probe_dns_additional_rrs',
        'Returns number of entries in the additional resource record list',
        m.additional ?? 0,
      );
      gauge(
        'probe_dns_query_succeeded',
        'Displays whether or not the query was executed successfully',
        m.rcode === undefined ? 0 : 1,
      );
      gauge('nop_probe_dns_truncated', 'Whether the UDP answer was truncated (TC bit)', m.truncated);
      gauge('nop_probe_dns_tcp', 'Whether the answer came over TCP', m.transport_tcp);
    }
  }
  gauge('probe_duration_seconds', 'Returns how long the probe took to complete in seconds', durationS);
  gauge('probe_success', 'Displays whether or not the probe was a success', result?.success ? 1 : 0);
  return `${out.join('\n')}\n`;
}
