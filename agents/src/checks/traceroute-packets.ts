import { isIP } from 'node:net';

/**
 * Pure packet code for the traceroute prober: probe builders and the parser that turns an ICMP
 * message (or a TCP segment) into the key of the probe it answers. Keys are strings a flow can
 * compute before it sends, so an answer that arrives before the send callback still matches.
 */

export type Mode = 'udp' | 'tcp' | 'icmp';

/** How an answer relates to the path: a router on it, the destination itself, or a dead end. */
export type AnswerKind = 'time-exceeded' | 'reply' | 'unreachable';

export interface ParsedAnswer {
  key: string;
  kind: AnswerKind;
  /** words for an unreachable ("host unreachable (ICMP type 3 code 1)") */
  words: string;
}

export const IPPROTO = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const;
const ICMP_HEADER_BYTES = 8;
const IPV6_HEADER_BYTES = 40;

const V4 = { echoRequest: 8, echoReply: 0, unreachable: 3, timeExceeded: 11 };
const V6 = { echoRequest: 128, echoReply: 129, unreachable: 1, timeExceeded: 3 };

const UNREACHABLE_V4: Record<number, string> = {
  0: 'network unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
  9: 'network administratively prohibited',
  10: 'host administratively prohibited',
  13: 'communication administratively prohibited',
};
const UNREACHABLE_V6: Record<number, string> = {
  0: 'no route to destination',
  1: 'communication administratively prohibited',
  3: 'address unreachable',
  4: 'port unreachable',
};

/** UDP payload bytes of probe tag 0; a probe's tag is carried in its length (Paris: ports never change). */
export const UDP_PAYLOAD_BASE = 12;
/** Distinct UDP lengths per flow: tags wrap after this many probes. */
export const UDP_TAGS = 256;
/** ICMP echo payload bytes (2 of them keep the checksum constant). */
const ECHO_PAYLOAD_BYTES = 32;
const TCP_HEADER_BYTES = 24; // 20 + the MSS option

export const keys = {
  icmp: (identifier: number, seq: number) => `i${identifier}:${seq & 0xffff}`,
  udp: (sourcePort: number, destPort: number, udpLength: number) => `u${sourcePort}:${destPort}:${udpLength}`,
  tcp: (sourcePort: number, destPort: number, seq: number) => `t${sourcePort}:${destPort}:${seq >>> 0}`,
};

/** The UDP length (header included) that carries probe tag `seq`. */
export function udpLengthOf(seq: number): number {
  return 8 + UDP_PAYLOAD_BASE + (seq % UDP_TAGS);
}

/** The first 11 bytes of every udp probe's payload; the 12th is the tag (seq mod UDP_TAGS). */
export const PAYLOAD_HEAD = Buffer.from('NOP tracero');

/**
 * The payload of udp probe `seq`: PAYLOAD_HEAD, the tag byte, then 0x40 up to udpLengthOf(seq).
 * Raw sockets read the tag from the quoted UDP length, the errqueue method from the tag byte
 * (the kernel hands it the quoted payload, not the UDP header).
 */
export function udpPayload(seq: number): Buffer {
  const payload = Buffer.alloc(udpLengthOf(seq) - 8, 0x40);
  PAYLOAD_HEAD.copy(payload, 0);
  payload[UDP_PAYLOAD_BASE - 1] = seq % UDP_TAGS;
  return payload;
}

/** Ones-complement sum of 16-bit words (not folded into the checksum yet). */
function sum16(buffers: Buffer[]): number {
  let sum = 0;
  for (const buffer of buffers) {
    for (let i = 0; i + 1 < buffer.length; i += 2) sum += buffer.readUInt16BE(i);
    if (buffer.length % 2 === 1) sum += buffer[buffer.length - 1]! << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export function checksum(...buffers: Buffer[]): number {
  return ~sum16(buffers) & 0xffff;
}

/**
 * An echo request whose checksum is the same for every seq of the flow (Paris traceroute): the
 * first payload word is ~seq, so seq + payload always sums to 0xffff. The kernel computes the
 * ICMPv6 checksum (pseudo-header included), which the same trick keeps constant too.
 */
export function echoRequest(family: 4 | 6, identifier: number, seq: number): Buffer {
  const packet = Buffer.alloc(ICMP_HEADER_BYTES + ECHO_PAYLOAD_BYTES);
  packet[0] = family === 4 ? V4.echoRequest : V6.echoRequest;
  packet.writeUInt16BE(identifier, 4);
  packet.writeUInt16BE(seq & 0xffff, 6);
  packet.writeUInt16BE(~seq & 0xffff, 8);
  for (let i = 10; i < packet.length; i++) packet[i] = 0x40 + (i & 0x1f);
  if (family === 4) packet.writeUInt16BE(checksum(packet), 2);
  return packet;
}

/** A TCP SYN (with an MSS option) and its checksum over the pseudo-header of `source` → `destination`. */
export function tcpSyn(source: string, destination: string, sourcePort: number, destPort: number, seq: number): Buffer {
  const tcp = Buffer.alloc(TCP_HEADER_BYTES);
  tcp.writeUInt16BE(sourcePort, 0);
  tcp.writeUInt16BE(destPort, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp[12] = (TCP_HEADER_BYTES / 4) << 4;
  tcp[13] = 0x02; // SYN
  tcp.writeUInt16BE(64_240, 14);
  tcp.writeUInt32BE(0x020405b4, 20); // MSS 1460
  const family = isIP(destination) === 6 ? 6 : 4;
  let pseudo: Buffer;
  if (family === 4) {
    pseudo = Buffer.alloc(12);
    addressBytes(source).copy(pseudo, 0);
    addressBytes(destination).copy(pseudo, 4);
    pseudo[9] = IPPROTO.tcp;
    pseudo.writeUInt16BE(tcp.length, 10);
  } else {
    pseudo = Buffer.alloc(40);
    addressBytes(source).copy(pseudo, 0);
    addressBytes(destination).copy(pseudo, 16);
    pseudo.writeUInt32BE(tcp.length, 32);
    pseudo[39] = IPPROTO.tcp;
  }
  tcp.writeUInt16BE(checksum(pseudo, tcp), 16);
  return tcp;
}

/** 4 or 16 bytes of an IP address literal. */
export function addressBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail] = canonical(address).split('::') as [string, string | undefined];
  const words = (text: string) => (text === '' ? [] : text.split(':').map((w) => parseInt(w, 16)));
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = Buffer.alloc(16);
  all.forEach((word, i) => bytes.writeUInt16BE(word, i * 2));
  return bytes;
}

/** The one text form of an address (RFC 5952 for IPv6), so answers compare equal to the destination. */
export function canonical(address: string): string {
  if (isIP(address) !== 6) return address;
  return new URL(`http://[${address}]`).hostname.slice(1, -1);
}

function addressText(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(bytes.readUInt16BE(i).toString(16));
  return canonical(words.join(':'));
}

/**
 * What an ICMP error (type, code) says about a probe: a router on the path (time exceeded) or
 * a dead end / the destination's port unreachable (unreachable). Other messages: undefined.
 */
export function classifyIcmpError(
  family: 4 | 6,
  type: number,
  code: number,
): { kind: Exclude<AnswerKind, 'reply'>; words: string } | undefined {
  const kind = family === 4 ? V4 : V6;
  if (type === kind.timeExceeded && code === 0) return { kind: 'time-exceeded', words: 'time exceeded' };
  if (type !== kind.unreachable) return undefined;
  const table = family === 4 ? UNREACHABLE_V4 : UNREACHABLE_V6;
  return {
    kind: 'unreachable',
    words: `${table[code] ?? 'destination unreachable'} (ICMP${family === 6 ? 'v6' : ''} type ${type} code ${code})`,
  };
}

/**
 * The key of an ICMP echo header as an ICMP datagram ("ping") socket hands it over, without the
 * IP header: an echo reply to us, or one of our echo requests quoted by an ICMP error.
 */
export function echoKey(family: 4 | 6, icmp: Buffer, want: 'request' | 'reply'): string | undefined {
  const kind = family === 4 ? V4 : V6;
  const type = want === 'request' ? kind.echoRequest : kind.echoReply;
  if (icmp.length < ICMP_HEADER_BYTES || icmp[0] !== type) return undefined;
  return keys.icmp(icmp.readUInt16BE(4), icmp.readUInt16BE(6));
}

/**
 * Reads one message of the raw ICMP socket: an echo reply to one of our echoes, or an ICMP error
 * quoting one of our probes (UDP datagram, TCP SYN, echo request) sent to `destination`.
 * IPv4 raw sockets hand over the IP header too; ICMPv6 ones start at the ICMP header.
 */
export function parseIcmp(family: 4 | 6, buffer: Buffer, destination: string): ParsedAnswer | undefined {
  const kind = family === 4 ? V4 : V6;
  const icmp = family === 4 ? buffer.subarray((buffer[0]! & 0x0f) * 4) : buffer;
  if (icmp.length < ICMP_HEADER_BYTES) return undefined;
  const type = icmp[0]!;
  const code = icmp[1]!;
  if (type === kind.echoReply)
    return { key: keys.icmp(icmp.readUInt16BE(4), icmp.readUInt16BE(6)), kind: 'reply', words: 'echo reply' };
  const classified = classifyIcmpError(family, type, code);
  if (!classified) return undefined;
  const { kind: answer, words } = classified;

  // The quoted IP header of our probe, then (at least) the first 8 bytes of its transport header.
  const quoted = icmp.subarray(ICMP_HEADER_BYTES);
  let protocol: number;
  let quotedDest: Buffer;
  let inner: Buffer;
  if (family === 4) {
    if (quoted.length < 20) return undefined;
    protocol = quoted[9]!;
    quotedDest = quoted.subarray(16, 20);
    inner = quoted.subarray((quoted[0]! & 0x0f) * 4);
  } else {
    if (quoted.length < IPV6_HEADER_BYTES) return undefined;
    protocol = quoted[6]!;
    quotedDest = quoted.subarray(24, 40);
    inner = quoted.subarray(IPV6_HEADER_BYTES);
  }
  if (inner.length < 8 || addressText(quotedDest) !== destination) return undefined;
  let key: string;
  if (protocol === IPPROTO.udp) key = keys.udp(inner.readUInt16BE(0), inner.readUInt16BE(2), inner.readUInt16BE(4));
  else if (protocol === IPPROTO.tcp)
    key = keys.tcp(inner.readUInt16BE(0), inner.readUInt16BE(2), inner.readUInt32BE(4));
  else if (protocol === (family === 4 ? IPPROTO.icmp : IPPROTO.icmpv6) && inner[0] === kind.echoRequest)
    key = keys.icmp(inner.readUInt16BE(4), inner.readUInt16BE(6));
  else return undefined;
  return { key, kind: answer, words };
}

/**
 * Reads one segment of the raw TCP socket: a SYN-ACK or RST from the destination answering our
 * SYN (its ack is our seq + 1). IPv4 raw sockets include the IP header; IPv6 ones do not.
 */
export function parseTcp(family: 4 | 6, buffer: Buffer): ParsedAnswer | undefined {
  const tcp = family === 4 ? buffer.subarray((buffer[0]! & 0x0f) * 4) : buffer;
  if (tcp.length < 20) return undefined;
  const flags = tcp[13]!;
  const ack = (flags & 0x10) !== 0;
  const syn = (flags & 0x02) !== 0;
  const rst = (flags & 0x04) !== 0;
  if (!ack || !(syn || rst)) return undefined;
  const seq = (tcp.readUInt32BE(8) - 1) >>> 0;
  return {
    key: keys.tcp(tcp.readUInt16BE(2), tcp.readUInt16BE(0), seq),
    kind: 'reply',
    words: syn ? 'SYN-ACK' : 'RST',
  };
}
