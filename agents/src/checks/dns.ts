import { lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CheckSpec } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type Prober, beginRun, msSince, runSignal } from './result.ts';
import { isValidHost, splitHostPort, stripBrackets } from './target.ts';

type DnsSpec = Extract<CheckSpec, { type: 'dns' }>;

/** One query of `recordType` for the target name; headline = lookup time. */
export const dns: Prober<DnsSpec> = async (spec, signal) => {
  const run = beginRun(spec);
  const resolver = new Resolver({ timeout: spec.timeout, tries: 1 });
  if (spec.server) {
    const server = await resolverAddress(spec.server);
    if ('error' in server) return run.fail(server.error);
    resolver.setServers([server.address]);
  }
  const { signal: runSig, dispose } = runSignal(spec.timeout, signal);
  const onAbort = () => resolver.cancel();
  runSig.addEventListener('abort', onAbort, { once: true });
  const started = process.hrtime.bigint();
  try {
    const answers: unknown = await resolver.resolve(spec.target, spec.recordType);
    const lookupMs = msSince(started);
    const count = Array.isArray(answers) ? answers.length : answers ? 1 : 0;
    return run.ok(lookupMs, { dns_ms: lookupMs, answers: count });
  } catch (error) {
    const text = runSig.aborted ? describeError(runSig.reason) : dnsError(error, spec);
    return run.fail(text, null, runSig.aborted ? {} : { dns_ms: msSince(started) });
  } finally {
    runSig.removeEventListener('abort', onAbort);
    dispose();
  }
};

/** "1.2.3.4", "1.2.3.4:5353", "[::1]:53", "ns.example.net" -> the form Resolver#setServers takes. */
async function resolverAddress(server: string): Promise<{ address: string } | { error: string }> {
  const hostPort = splitHostPort(server);
  const host = hostPort ? hostPort.host : stripBrackets(server.trim());
  const port = hostPort?.port ?? 53;
  if (!isValidHost(host) || port === 0) return { error: `invalid DNS server "${server}"` };
  let ip = host;
  if (isIP(host) === 0) {
    try {
      ip = (await lookup(host)).address;
    } catch (error) {
      return { error: `DNS server ${describeError(error, host)}` };
    }
  }
  return { address: isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}` };
}

const DNS_WORDS: Record<string, (spec: DnsSpec) => string> = {
  ENOTFOUND: (s) => `NXDOMAIN: ${s.target} does not exist`,
  ENODATA: (s) => `no ${s.recordType} records for ${s.target} (NODATA)`,
  ESERVFAIL: (s) => `SERVFAIL: the server failed to answer for ${s.target}`,
  EREFUSED: () => 'REFUSED: the server refused the query',
  ETIMEOUT: (s) => `timeout after ${s.timeout} ms`,
  ECONNREFUSED: () => 'connection refused',
  EFORMERR: () => 'FORMERR: the server could not parse the query',
  EBADRESP: () => 'malformed DNS response',
  EBADNAME: (s) => `invalid name "${s.target}"`,
  ENOTIMP: () => 'NOTIMP: the server does not implement this query',
};

function dnsError(error: unknown, spec: DnsSpec): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words = code ? DNS_WORDS[code] : undefined;
  return words ? words(spec) : describeError(error);
}
