import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CheckSpec } from '@nop/protocol';
import { AGENT_VERSION } from '../version.ts';
import { describeError } from './errors.ts';
import { checkBody, describeStatusRules, statusAccepted } from './http-assert.ts';
import { wireRequest } from './http-wire.ts';
import { type Metrics, type Prober, RunDeadline, beginRun, msSince, round3 } from './result.ts';
import { onPeerCertificate } from './tls-cert.ts';

type HttpSpec = Extract<CheckSpec, { type: 'http' }>;

/** Bodies kept for bodyRegex / jsonAssertions are cut here (the byte count goes on). */
const BODY_LIMIT = 16 * 1024 * 1024;

interface Hop {
  status?: number;
  location?: string;
  bytes: number;
  body?: string;
  contentLength?: number;
  phases: Metrics;
  end?: bigint;
  certExpiry?: number;
  ipVersion?: number;
  error?: unknown;
}

/**
 * HTTP(S) with redirects followed up to `maxRedirects` (each hop on a fresh connection), timed by
 * phase from socket events and summed over the hops like blackbox_exporter does:
 * dns -> connect -> tls -> ttfb (request ready until first response byte) -> transfer.
 * Then the status rules, the body regex and the JSON assertions; every failure comes back in words.
 * The exchange itself is http-wire.ts (HTTP/1.1, Connection: close), not node:http.
 */
export const http: Prober<HttpSpec> = async (spec, signal) => {
  const run = beginRun(spec);
  let url = targetUrl(spec);
  if (url === undefined) return run.fail(`invalid URL "${spec.target}"`);
  const deadline = new RunDeadline(spec.timeout, signal);
  const wantBody = spec.bodyRegex !== undefined || (spec.jsonAssertions?.length ?? 0) > 0;
  const metrics: Metrics = {};
  const sum: Metrics = {};
  let method: string = spec.method;
  let body = spec.body;
  let headers: Record<string, string> = {
    'user-agent': `nop-agent/${AGENT_VERSION}`,
    ...basicAuthHeader(spec),
    ...spec.headers,
  };
  let redirects = 0;
  try {
    for (;;) {
      const hop = await request(url, method, headers, body, spec, deadline, wantBody);
      for (const [key, value] of Object.entries(hop.phases)) sum[key] = round3((sum[key] ?? 0) + value);
      Object.assign(metrics, sum, { redirects });
      if (hop.ipVersion) metrics.ip_version = hop.ipVersion;
      if (hop.certExpiry !== undefined) metrics.ssl_earliest_cert_expiry = hop.certExpiry;
      if (url.protocol === 'https:') metrics.tls = 1;
      if (hop.status !== undefined) {
        metrics.status_code = hop.status;
        metrics.response_bytes = hop.bytes;
        if (hop.contentLength !== undefined) metrics.content_length = hop.contentLength;
        const transfer = hop.phases.transfer_ms;
        if (transfer !== undefined && transfer > 0 && hop.end)
          metrics.throughput_bytes_per_second = Math.round(hop.bytes / (transfer / 1000));
      }
      if (hop.error !== undefined) return run.fail(describeError(hop.error, url.hostname), null, metrics);
      const status = hop.status!;
      const redirect = status >= 300 && status <= 399 && hop.location !== undefined;
      if (redirect && spec.maxRedirects > 0) {
        if (redirects >= spec.maxRedirects)
          return run.fail(`too many redirects (more than ${spec.maxRedirects})`, null, metrics);
        let next: URL;
        try {
          next = new URL(hop.location!, url);
        } catch {
          return run.fail(`invalid redirect location "${hop.location}"`, null, metrics);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return run.fail(`redirect to unsupported URL ${next.href}`, null, metrics);
        redirects++;
        // 303 always, and 301/302 after a POST, turn into a GET without body (as browsers do).
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
        }
        if (next.host !== url.host) headers = withoutCredentials(headers);
        url = next;
        continue;
      }
      metrics.redirects = redirects;
      const total = msSince(run.started, hop.end);
      if (!statusAccepted(status, spec.expectStatus))
        return run.fail(`HTTP ${status} not in expected ${describeStatusRules(spec.expectStatus)}`, total, metrics);
      if (wantBody) {
        const verdict = checkBody(hop.body ?? '', spec.bodyRegex, spec.jsonAssertions);
        if (verdict.regexFailed) metrics.failed_due_to_regex = 1;
        else if (spec.bodyRegex !== undefined) metrics.failed_due_to_regex = 0;
        if (verdict.error) return run.fail(verdict.error, total, metrics);
      }
      return run.ok(total, metrics);
    }
  } finally {
    deadline.dispose();
  }
};

/**
 * The spec's target parsed once per spec (undefined when invalid): a check, and a /probe scrape
 * target, is run over and over with the same spec object. Read-only: redirects make new URLs.
 */
const targetUrls = new WeakMap<HttpSpec, URL | undefined>();

function targetUrl(spec: HttpSpec): URL | undefined {
  if (targetUrls.has(spec)) return targetUrls.get(spec);
  let url: URL | undefined;
  try {
    url = new URL(spec.target);
  } catch {
    url = undefined;
  }
  targetUrls.set(spec, url);
  return url;
}

/** basicAuth as an Authorization header, unless `headers` has one of its own (which wins). */
function basicAuthHeader(spec: HttpSpec): Record<string, string> {
  if (!spec.basicAuth || Object.keys(spec.headers).some((name) => name.toLowerCase() === 'authorization')) return {};
  const { username, password } = spec.basicAuth;
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (!/^(authorization|cookie|proxy-authorization)$/i.test(key)) out[key] = value;
  return out;
}

/** One request on a fresh connection; resolves (never rejects) with what it saw. */
function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  spec: HttpSpec,
  deadline: RunDeadline,
  wantBody: boolean,
): Promise<Hop> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const marks: { lookup?: bigint; connect?: bigint; secure?: bigint; response?: bigint } = {};
    const hop: Hop = { bytes: 0, phases: {} };
    const chunks: Buffer[] = [];
    let kept = 0;
    let settled = false;
    const https = url.protocol === 'https:';
    // An IP literal is the peer's family: no getpeername() for it.
    const literalFamily = isIP(url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname);

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      deadline.onStop = undefined;
      abort();
      const p = hop.phases;
      p.dns_ms = marks.lookup ? msSince(started, marks.lookup) : 0;
      if (marks.connect) p.connect_ms = msSince(marks.lookup ?? started, marks.connect);
      if (marks.secure && marks.connect) p.tls_ms = msSince(marks.connect, marks.secure);
      const ready = marks.secure ?? marks.connect;
      if (marks.response && ready) p.ttfb_ms = msSince(ready, marks.response);
      if (hop.end && marks.response) p.transfer_ms = msSince(marks.response, hop.end);
      if (wantBody && chunks.length > 0) hop.body = Buffer.concat(chunks).toString('utf8');
      if (error !== undefined) hop.error = error;
      resolve(hop);
    };
    if (deadline.reason) {
      resolve({ ...hop, error: deadline.reason });
      return;
    }
    deadline.onStop = finish;

    const abort = wireRequest(
      { url, method, headers, body, family: spec.ipVersion, rejectUnauthorized: spec.tlsVerify },
      {
        socket: (socket) => {
          const now = () => process.hrtime.bigint();
          if (literalFamily === 0) socket.once('lookup', () => (marks.lookup = now()));
          socket.on('connect', () => {
            marks.connect = now();
            hop.ipVersion =
              literalFamily || (socket.remoteFamily === 'IPv6' ? 6 : socket.remoteFamily === 'IPv4' ? 4 : undefined);
          });
          if (https) {
            onPeerCertificate(socket as TLSSocket, (expiry) => (hop.certExpiry = expiry));
            socket.on('secureConnect', () => (marks.secure = now()));
          }
        },
        response: (status, responseHeaders) => {
          marks.response = process.hrtime.bigint();
          hop.status = status;
          const location = responseHeaders.get('location');
          if (location) hop.location = location;
          const length = responseHeaders.get('content-length');
          if (length !== undefined && Number.isFinite(Number(length))) hop.contentLength = Number(length);
        },
        data: (chunk) => {
          hop.bytes += chunk.length;
          if (wantBody && kept < BODY_LIMIT) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        },
        end: () => {
          hop.end = process.hrtime.bigint();
          finish();
        },
        error: (error) => finish(error),
      },
    );
  });
}
