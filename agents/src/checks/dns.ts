import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type CheckResult, type CheckSpec, type DnsDetails, MAX_DNS_ANSWER_DATA, MAX_DNS_ANSWERS } from '@nop/protocol';
import {
  DnsClientError,
  type DnsReply,
  defaultResolver,
  encodeQuery,
  formatAnswer,
  queryTcp,
  queryUdp,
  reverseName,
} from './dns-client.ts';
import { describeError } from './errors.ts';
import { type Metrics, type Prober, RunDeadline, beginRun, msSince } from './result.ts';
import { isValidHost, splitHostPort, stripBrackets } from './target.ts';

type DnsSpec = Extract<CheckSpec, { type: 'dns' }>;

export interface DnsAnswerLine {
  name: string;
  ttl: number;
  type: string;
  /** the data as dig prints it */
  data: string;
}

export interface DnsOutcome {
  result: CheckResult;
  /** the resolver asked, as host:port */
  server?: string;
  rcode?: string;
  answers: DnsAnswerLine[];
}

/** One query of `recordType` for the target name; headline = lookup time. */
export const dns: Prober<DnsSpec> = async (spec, signal) => (await dnsQuery(spec, signal)).result;

/**
 * The DNS prober with the answers themselves (for the CLI's dig-like output). One query over
 * `transport` to `server` (default: the first nameserver of /etc/resolv.conf); a truncated UDP
 * answer is asked again over TCP. Success = the expected rcode, then expectAnswers / expectRegex.
 */
export async function dnsQuery(spec: DnsSpec, signal?: AbortSignal): Promise<DnsOutcome> {
  const run = beginRun(spec);
  const server = await resolverAddress(spec.server ?? defaultResolver());
  if ('error' in server) return { result: run.fail(server.error), answers: [] };
  const where = isIP(server.address) === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
  const deadline = new RunDeadline(spec.timeout, signal);
  const name = spec.recordType === 'PTR' ? reverseName(spec.target) : spec.target;
  const metrics: Metrics = { transport_tcp: 0, truncated: 0, ip_version: isIP(server.address) };
  const started = process.hrtime.bigint();
  let reply: DnsReply;
  try {
    const query = encodeQuery(name, spec.recordType);
    if (spec.transport === 'tcp') {
      metrics.transport_tcp = 1;
      reply = await queryTcp(server.address, server.port, query, deadline);
    } else {
      reply = await queryUdp(server.address, server.port, query, deadline);
      if (reply.truncated) {
        metrics.truncated = 1;
        metrics.transport_tcp = 1;
        reply = await queryTcp(server.address, server.port, encodeQuery(name, spec.recordType), deadline);
      }
    }
  } catch (error) {
    const text = deadline.reason
      ? describeError(deadline.reason)
      : error instanceof DnsClientError
        ? error.message
        : `DNS server ${where}: ${describeError(error)}`;
    return { result: withDetails(run.fail(text, null, metrics), where, undefined, []), server: where, answers: [] };
  } finally {
    deadline.dispose();
  }
  const lookupMs = msSince(started);
  metrics.dns_ms = lookupMs;
  metrics.answers = reply.answers.length;
  metrics.authority = reply.authorities;
  metrics.additional = reply.additionals;
  metrics.rcode = reply.rcodeNumber;
  const answers: DnsAnswerLine[] = reply.answers.map((a) => ({
    name: a.name,
    ttl: 'ttl' in a ? (a.ttl ?? 0) : 0,
    type: a.type,
    data: formatAnswer(a),
  }));
  const outcome = (error?: string): DnsOutcome => ({
    result: withDetails(
      error === undefined ? run.ok(lookupMs, metrics) : run.fail(error, lookupMs, metrics),
      where,
      reply.rcode,
      answers,
    ),
    server: where,
    rcode: reply.rcode,
    answers,
  });

  if (reply.rcode !== spec.expectRcode) return outcome(rcodeWords(reply.rcode, spec));
  if (spec.expectRcode !== 'NOERROR') return outcome();
  const typed = answers.filter((a) => a.type === spec.recordType);
  if (typed.length === 0 && !spec.expectAnswers && !spec.expectRegex)
    return outcome(`no ${spec.recordType} records for ${spec.target} (NODATA)`);
  const got = () => {
    const list = answers.map((a) => a.data);
    const text = list.slice(0, 10).join(', ') + (list.length > 10 ? ', …' : '');
    return list.length === 0 ? 'no answers' : `got ${text}`;
  };
  for (const expected of spec.expectAnswers ?? [])
    if (!answers.some((a) => sameAnswer(a.data, expected))) return outcome(`answer "${expected}" missing (${got()})`);
  if (spec.expectRegex !== undefined) {
    const re = new RegExp(spec.expectRegex);
    if (!answers.some((a) => re.test(a.data))) return outcome(`no answer matches /${spec.expectRegex}/ (${got()})`);
  }
  return outcome();
}

/** The result keeps what was answered, bounded: the first MAX_DNS_ANSWERS records, data cut to length. */
function withDetails(result: CheckResult, server: string, rcode: string | undefined, answers: DnsAnswerLine[]) {
  const kept = answers.slice(0, MAX_DNS_ANSWERS).map((a) => ({
    ...a,
    name: a.name.slice(0, 255),
    data: a.data.length > MAX_DNS_ANSWER_DATA ? `${a.data.slice(0, MAX_DNS_ANSWER_DATA - 1)}…` : a.data,
  }));
  const dns: DnsDetails = { server, ...(rcode ? { rcode } : {}), answers: kept };
  if (answers.length > kept.length) dns.omitted = answers.length - kept.length;
  return { ...result, dns } satisfies CheckResult;
}

/** Answers compare like dig prints them, with or without the trailing dots, names case-insensitive. */
function sameAnswer(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  const norm = (s: string) =>
    s
      .trim()
      .split(/\s+/)
      .map((t) => t.replace(/\.$/, '').toLowerCase())
      .join(' ');
  return norm(actual) === norm(expected);
}

function rcodeWords(rcode: string, spec: DnsSpec): string {
  const expected = spec.expectRcode === 'NOERROR' ? '' : ` (expected ${spec.expectRcode})`;
  switch (rcode) {
    case 'NXDOMAIN':
      return `NXDOMAIN: ${spec.target} does not exist${expected}`;
    case 'SERVFAIL':
      return `SERVFAIL: the server failed to answer for ${spec.target}${expected}`;
    case 'REFUSED':
      return `REFUSED: the server refused the query${expected}`;
    case 'FORMERR':
      return `FORMERR: the server could not parse the query${expected}`;
    case 'NOTIMP':
      return `NOTIMP: the server does not implement this query${expected}`;
    default:
      return `rcode ${rcode}${expected || ' (expected NOERROR)'}`;
  }
}

/** "1.2.3.4", "1.2.3.4:5353", "[::1]:53", "ns.example.net" -> an address and a port. */
async function resolverAddress(server: string): Promise<{ address: string; port: number } | { error: string }> {
  const hostPort = splitHostPort(server);
  const host = hostPort ? hostPort.host : stripBrackets(server.trim());
  const port = hostPort?.port ?? 53;
  if (!isValidHost(host) || port === 0) return { error: `invalid DNS server "${server}"` };
  if (isIP(host) !== 0) return { address: host, port };
  try {
    return { address: (await lookup(host)).address, port };
  } catch (error) {
    return { error: `DNS server ${describeError(error, host)}` };
  }
}
