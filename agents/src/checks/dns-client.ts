import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, isIP } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';
import type { RunDeadline } from './result.ts';

/**
 * A minimal DNS stub client on dns-packet: one query over UDP (a fresh socket, random id, no
 * retries) or TCP (2-byte length prefix), so the prober can choose the transport, see the TC bit
 * and read the rcode, none of which node:dns exposes.
 */

export interface DnsReply {
  rcode: string;
  rcodeNumber: number;
  truncated: boolean;
  answers: Answer[];
  authorities: number;
  additionals: number;
  /** the question the reply echoes, "name/TYPE" */
  question?: string;
}

export class DnsClientError extends Error {}

let systemResolver: string | undefined;

/** The first nameserver of /etc/resolv.conf (127.0.0.1 when none, as glibc does). */
export function defaultResolver(): string {
  if (systemResolver === undefined) {
    let text = '';
    try {
      text = readFileSync('/etc/resolv.conf', 'utf8');
    } catch {
      // no resolv.conf: the libc default
    }
    const match = /^\s*nameserver\s+(\S+)/m.exec(text);
    const host = match?.[1] ?? '127.0.0.1';
    systemResolver = isIP(host) === 6 ? `[${host}]:53` : `${host}:53`;
  }
  return systemResolver;
}

/** Overrides the resolver used when a check names none (tests; an agent with its own resolver). */
export function setDefaultResolver(server: string | undefined): void {
  systemResolver = server;
}

/** Names compare case-insensitively, with or without the trailing dot. */
const questionName = (name: string) => name.toLowerCase().replace(/\.$/, '') || '.';

export interface DnsQuery {
  id: number;
  packet: Buffer;
  /** "name/TYPE", name lower-cased */
  question: string;
}

export function encodeQuery(name: string, type: Question['type']): DnsQuery {
  const id = randomInt(0, 65_536);
  const packet = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
  return { id, packet, question: `${questionName(name)}/${type}` };
}

function toReply(message: Buffer): DnsReply {
  let decoded: DecodedPacket & { rcode?: string };
  try {
    decoded = dnsPacket.decode(message) as DecodedPacket & { rcode?: string };
  } catch {
    throw new DnsClientError('malformed DNS response');
  }
  const flags = decoded.flags ?? 0;
  return {
    rcode: decoded.rcode ?? String(flags & 0xf),
    rcodeNumber: flags & 0xf,
    truncated: decoded.flag_tc,
    answers: decoded.answers ?? [],
    authorities: decoded.authorities?.length ?? 0,
    additionals: decoded.additionals?.length ?? 0,
    question: decoded.questions?.[0]
      ? `${questionName(decoded.questions[0].name)}/${decoded.questions[0].type}`
      : undefined,
  };
}

/**
 * One UDP exchange on a socket of its own (a fresh random source port per query, as blackbox does;
 * a socket shared by many queries in flight overflows its receive buffer at high concurrency),
 * connected: only the server's datagrams reach it and an ICMP port unreachable surfaces.
 * Gives up with the deadline's reason when it stops the run.
 */
export function queryUdp(address: string, port: number, query: DnsQuery, deadline: RunDeadline): Promise<DnsReply> {
  return new Promise((resolve, reject) => {
    if (deadline.reason) return reject(deadline.reason);
    const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (error: unknown, reply?: DnsReply) => {
      if (done) return;
      done = true;
      deadline.onStop = undefined;
      try {
        socket.close();
      } catch {
        // already closed
      }
      if (reply) resolve(reply);
      else reject(error);
    };
    deadline.onStop = finish;
    socket.on('message', (message) => {
      if (message.length < 2 || message.readUInt16BE(0) !== query.id) return; // not ours: keep waiting
      let reply: DnsReply;
      try {
        reply = toReply(message);
      } catch (error) {
        return finish(error);
      }
      if (reply.question !== undefined && reply.question !== query.question) return; // not our question
      finish(undefined, reply);
    });
    socket.on('error', (error) => finish(error));
    socket.connect(port, address, () => {
      socket.send(query.packet, (error) => {
        if (error) finish(error);
      });
    });
  });
}

/** One TCP exchange: the query and the answer each carry a 2-byte length prefix. */
export function queryTcp(address: string, port: number, query: DnsQuery, deadline: RunDeadline): Promise<DnsReply> {
  return new Promise((resolve, reject) => {
    if (deadline.reason) return reject(deadline.reason);
    const socket = connect({ host: address, port });
    let buffer: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (error: unknown, reply?: DnsReply) => {
      if (done) return;
      done = true;
      deadline.onStop = undefined;
      socket.destroy();
      if (reply) resolve(reply);
      else reject(error);
    };
    deadline.onStop = finish;
    socket.once('connect', () => {
      const framed = Buffer.alloc(query.packet.length + 2);
      framed.writeUInt16BE(query.packet.length, 0);
      query.packet.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2) {
        const length = buffer.readUInt16BE(0);
        if (buffer.length < length + 2) return;
        const message = buffer.subarray(2, length + 2);
        buffer = buffer.subarray(length + 2);
        if (message.length >= 2 && message.readUInt16BE(0) === query.id) {
          try {
            finish(undefined, toReply(message));
          } catch (error) {
            finish(error);
          }
          return;
        }
      }
    });
    socket.once('end', () => finish(new DnsClientError('the server closed the TCP connection without answering')));
    socket.once('error', (error) => finish(error));
  });
}

const dot = (name: string) => (name.endsWith('.') ? name : `${name}.`);

const txt = (data: unknown): string => {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
};

/** The answer's data as dig prints it (names with a trailing dot, TXT strings joined). */
export function formatAnswer(answer: Answer): string {
  switch (answer.type) {
    case 'A':
    case 'AAAA':
      return answer.data;
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return dot(answer.data);
    case 'MX':
      return `${answer.data.preference ?? 0} ${dot(answer.data.exchange)}`;
    case 'TXT':
      return txt(answer.data);
    case 'SRV':
      return `${answer.data.priority ?? 0} ${answer.data.weight ?? 0} ${answer.data.port} ${dot(answer.data.target)}`;
    case 'SOA': {
      const d = answer.data;
      return `${dot(d.mname)} ${dot(d.rname)} ${d.serial ?? 0} ${d.refresh ?? 0} ${d.retry ?? 0} ${d.expire ?? 0} ${d.minimum ?? 0}`;
    }
    default: {
      const data = (answer as { data?: unknown }).data;
      if (Buffer.isBuffer(data)) return data.toString('hex');
      return typeof data === 'string' ? data : JSON.stringify(data);
    }
  }
}

/** "192.0.2.1" -> "1.2.0.192.in-addr.arpa", "2001:db8::1" -> its ip6.arpa name; anything else unchanged. */
export function reverseName(target: string): string {
  const family = isIP(target);
  if (family === 4) return `${target.split('.').reverse().join('.')}.in-addr.arpa`;
  if (family === 6) {
    const [head = '', tail = ''] = target.split('::');
    const groups = (s: string) => (s ? s.split(':') : []);
    const h = groups(head);
    const t = groups(tail);
    const full = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const nibbles = full.map((g) => g.padStart(4, '0')).join('');
    return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
  }
  return target;
}
