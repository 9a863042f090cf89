import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { msSince } from './result.ts';

const LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/** True for a syntactically valid DNS host name (RFC 1123, underscores tolerated, trailing dot allowed). */
export function isHostName(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  return bare.split('.').every((label) => LABEL.test(label));
}

/** "[::1]" -> "::1"; anything else unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Whether a host (IP literal or name) is worth handing to the resolver at all. */
export function isValidHost(host: string): boolean {
  return isIP(host) !== 0 || isHostName(host);
}

/** Splits "host:port" and "[v6]:port"; undefined when the text is neither or the port is out of range. */
export function splitHostPort(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.%\w]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 0 || port > 65_535) return undefined;
  return { host: (match[1] ?? match[2]) as string, port };
}

/**
 * The address a probe goes to: an IP literal as is (if it matches `ipVersion`), a name looked up
 * in that family, timed (`dnsMs`). Callers word the failures for their own results.
 */
export async function resolveAddress(
  host: string,
  ipVersion: 4 | 6 | undefined,
): Promise<
  | { ok: true; address: string; family: 4 | 6; dnsMs?: number }
  | { ok: false; lookupError: unknown }
  | { ok: false; wrongFamily: true }
> {
  const literal = isIP(host);
  if (literal !== 0) {
    if (ipVersion !== undefined && literal !== ipVersion) return { ok: false, wrongFamily: true };
    return { ok: true, address: host, family: literal === 6 ? 6 : 4 };
  }
  const started = process.hrtime.bigint();
  try {
    const { address, family } = await lookup(host, { family: ipVersion ?? 0 });
    return { ok: true, address, family: family === 6 ? 6 : 4, dnsMs: msSince(started) };
  } catch (error) {
    return { ok: false, lookupError: error };
  }
}
