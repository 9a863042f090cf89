/**
 * What a check target may look like: IP literals, host and DNS names, host:port, http(s) URLs.
 * Each `…Problem` function answers undefined for a good value, else one sentence that starts with
 * what the value must be, so a schema can hand it to a person as is. No node: imports: the
 * dashboard bundles this file too.
 */

const IPV4_PART = /^(0|[1-9]\d{0,2})$/;

/** Dotted decimal, four parts 0-255, no leading zeros (inet_pton's rule: "010" would be octal elsewhere). */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => IPV4_PART.test(part) && Number(part) <= 255);
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The eight 16-bit groups of an IPv6 literal (one "::", an IPv4 tail allowed); undefined when it is none. */
export function parseIPv6(text: string): number[] | undefined {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [index, part] of parts.entries()) {
      if (HEX_GROUP.test(part)) out.push(parseInt(part, 16));
      else if (index === parts.length - 1 && isIPv4(part)) {
        const [a, b, c, d] = part.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // an IPv4 tail may only end the address
  if (halves.length === 2 && halves[0]!.includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

export function isIPv6(text: string): boolean {
  return parseIPv6(text) !== undefined;
}

/**
 * The RFC 5952 spelling of an IPv6 literal (lower case, no leading zeros, the longest run of zero
 * groups as "::"), so two spellings of one address compare equal; an IPv4 tail stays dotted.
 */
export function canonicalIPv6(text: string): string | undefined {
  const groups = parseIPv6(text);
  if (!groups) return undefined;
  const dotted = text.includes('.');
  const hex = dotted ? groups.slice(0, 6) : groups;
  let best = { start: -1, length: 1 };
  for (let i = 0; i < hex.length;) {
    if (hex[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < hex.length && hex[end] === 0) end++;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = end;
  }
  const words = hex.map((group) => group.toString(16));
  let out =
    best.start < 0
      ? words.join(':')
      : `${words.slice(0, best.start).join(':')}::${words.slice(best.start + best.length).join(':')}`;
  if (dotted) {
    const v4 = [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
    out += out.endsWith(':') ? v4 : `:${v4}`;
  }
  return out;
}

/** "fe80::1%eth0": a link-local address with its interface (zone); the agent's ICMP socket takes one. */
const ZONE = /^[A-Za-z0-9_.-]{1,15}$/;

/** An IPv6 literal, with a zone ("%eth0") when `zone` is allowed. */
export function isIPv6WithZone(text: string): boolean {
  const at = text.indexOf('%');
  if (at < 0) return isIPv6(text);
  return isIPv6(text.slice(0, at)) && ZONE.test(text.slice(at + 1));
}

export const MAX_DNS_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

/**
 * A DNS name: labels of 1-63 letters, digits, "-" and "_" (not starting or ending with "-"), at
 * most 253 characters, an optional trailing dot, and a last label that is not all digits (a
 * number there is a mistyped IPv4 address, not a name). Underscores are allowed everywhere: query
 * names need them (_sip._tcp.example.com), and hosts named so (Docker Compose services, Windows
 * machines) resolve fine, so refusing them would refuse checks that work.
 * `root` allows "." (the root zone, e.g. for an NS check).
 */
export function dnsNameProblem(name: string, options: { root?: boolean } = {}): string | undefined {
  if (name === '') return 'must not be empty';
  if (name === '.') return options.root ? undefined : 'must be a name, not the root "."';
  if (/\s/.test(name)) return 'must not contain spaces';
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) return 'must be ASCII: write an internationalized name in punycode (xn--…)';
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length > MAX_DNS_NAME_LENGTH) return `must be at most ${MAX_DNS_NAME_LENGTH} characters long`;
  const labels = bare.split('.');
  if (labels.some((label) => label === '')) return 'must not have an empty label (".." or a leading ".")';
  for (const label of labels) {
    // the character alone, JSON-quoted: a message must not carry control characters into a log
    const bad = /[^A-Za-z0-9_-]/.exec(label)?.[0];
    if (bad !== undefined) return `must have labels of letters, digits, "-" and "_" only (not ${JSON.stringify(bad)})`;
    if (label.length > MAX_LABEL_LENGTH)
      return `must have labels of at most ${MAX_LABEL_LENGTH} characters ("${label.slice(0, 20)}…" has ${label.length})`;
    if (label.startsWith('-') || label.endsWith('-'))
      return `must have labels that do not start or end with "-" (not "${label}")`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'must not end in an all-numeric label';
  return undefined;
}

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const DIGITS_AND_DOTS = /^[\d.]+$/;
const IPV4_MESSAGE = 'must be an IPv4 address of four numbers 0-255 without leading zeros (like 192.0.2.1)';

/**
 * A host to send packets to: an IPv4 or IPv6 literal (an IPv6 zone allowed) or a host name; no
 * scheme, path or port. `brackets` allows "[2001:db8::1]" (the agent strips them).
 */
export function hostProblem(text: string, options: { brackets?: boolean } = {}): string | undefined {
  if (text === '') return 'must not be empty';
  if (/\s/.test(text)) return 'must not contain spaces';
  if (URL_LIKE.test(text)) return 'must be a host name or an IP address, not a URL';
  if (text.includes('/')) return 'must be a host name or an IP address, without a path';
  if (text.startsWith('[')) {
    const inner = /^\[([^\]]*)\]$/.exec(text)?.[1];
    if (inner === undefined)
      return splitHostPort(text)
        ? 'must be a host name or an IP address, without a port'
        : 'must be an IPv6 address inside [ ]';
    if (!isIPv6WithZone(inner)) return 'must be an IPv6 address inside [ ]';
    return options.brackets ? undefined : 'must be an IPv6 address without brackets';
  }
  if (isIPv4(text) || isIPv6WithZone(text)) return undefined;
  if (text.includes(':')) {
    const hostPort = splitHostPort(text);
    if (hostPort && (isIPv4(hostPort.host) || dnsNameProblem(hostPort.host) === undefined))
      return 'must be a host name or an IP address, without a port';
    // names have no colons at all: two or more mean an IPv6 address was meant
    return text.split(':').length > 2 ? 'must be a valid IPv6 address' : 'must be a host name or an IP address';
  }
  if (DIGITS_AND_DOTS.test(text)) return IPV4_MESSAGE;
  const problem = dnsNameProblem(text);
  if (problem === 'must not end in an all-numeric label')
    return 'must be a host name or an IP address (a name must not end in an all-numeric label)';
  return problem;
}

export const PORT_MESSAGE = 'port must be 1-65535';

/** A port written as 1-65535; undefined for anything else (0 included: nothing listens there). */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/**
 * "host:port" or "[v6]:port" split in two, the brackets removed; the port is the text after the
 * last ":" and is not checked here. Undefined when the text has no such shape (a bare IPv6 literal
 * has colons but no port).
 */
export function splitHostPort(text: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2]! };
  const plain = /^([^:[\]]+):([^:]*)$/.exec(text);
  return plain ? { host: plain[1]!, port: plain[2]! } : undefined;
}

/** "host:port" or "[v6]:port" with a port 1-65535 (a TCP check's target). */
export function hostPortProblem(text: string): string | undefined {
  if (text === '') return 'must not be empty';
  if (/\s/.test(text)) return 'must not contain spaces';
  if (URL_LIKE.test(text)) return 'must be host:port, not a URL';
  if (text.includes('/')) return 'must be host:port, without a path';
  const parts = splitHostPort(text);
  if (!parts) {
    if (isIPv6WithZone(text) || /^\[[^\]]*\]$/.test(text))
      return 'must be [IPv6]:port, the address in brackets and a port after it (like [2001:db8::1]:443)';
    return text.includes(':') ? 'must be host:port or [IPv6]:port' : 'must be host:port (the port is missing)';
  }
  if (text.startsWith('[')) {
    if (!isIPv6WithZone(parts.host)) return 'must have an IPv6 address inside [ ]';
  } else {
    const problem = hostProblem(parts.host);
    if (problem) return `host ${problem}`;
  }
  return parsePort(parts.port) === undefined ? PORT_MESSAGE : undefined;
}

/** A DNS server: host, host:port, an IPv6 literal bare or in brackets, or [v6]:port (port 53 when absent). */
export function dnsServerProblem(text: string): string | undefined {
  if (URL_LIKE.test(text)) return 'must be a host, host:port or [IPv6]:port, not a URL';
  const parts = splitHostPort(text);
  if (!parts) return hostProblem(text, { brackets: true });
  if (text.startsWith('[')) {
    if (!isIPv6WithZone(parts.host)) return 'must have an IPv6 address inside [ ]';
  } else {
    const problem = hostProblem(parts.host);
    if (problem) return `host ${problem}`;
  }
  return parsePort(parts.port) === undefined ? PORT_MESSAGE : undefined;
}

/** scheme, optional user info, host (bracketed IPv6 or up to ":"), optional port */
const URL_AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::([^/?#]*))?/;

/** An absolute http:// or https:// URL with a valid host and, if given, a port 1-65535. */
export function httpUrlProblem(text: string): string | undefined {
  const authority = URL_AUTHORITY.exec(text);
  if (!authority) return 'must be a URL starting with http:// or https://';
  const scheme = authority[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return `must be an http:// or https:// URL, not ${scheme}://`;
  const host = authority[2]!;
  const port = authority[3];
  if (host === '') return 'must name a host after http(s)://';
  if (port !== undefined && port !== '' && parsePort(port) === undefined) return PORT_MESSAGE;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const problem = hostProblem(host, { brackets: true });
    return problem ? `host ${problem}` : 'must be a valid URL';
  }
  // A name in another script is fine in a URL (it is sent as punycode): check what is sent.
  // eslint-disable-next-line no-control-regex
  const sent = /[^\x00-\x7f]/.test(host) ? url.hostname : host;
  const problem = hostProblem(sent, { brackets: true });
  return problem ? `host ${problem}` : undefined;
}
