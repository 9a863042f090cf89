import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Socket } from 'raw-socket';
import { describeError } from './errors.ts';

/**
 * One raw ICMP socket per address family per process, shared by every icmp check: echoes are
 * told apart by a 16-bit identifier chosen at process start plus a per-socket sequence number.
 */

export const ICMP_PERMISSION_MESSAGE = 'ICMP needs root/CAP_NET_RAW (or net.ipv4.ping_group_range covering this group)';

export type EchoOutcome = { rttMs: number } | { lost: true } | { error: string };

interface Pending {
  sentAt: bigint | null;
  timer: NodeJS.Timeout;
  settle: (outcome: EchoOutcome) => void;
}

const IDENTIFIER = randomInt(0, 0x10000);

type RawSocketModule = typeof import('raw-socket');
let rawModule: RawSocketModule | undefined;

/**
 * raw-socket is a native addon, loaded on first use: if it was never built (npm skipped its
 * install script) the icmp results say so and every other check type still works.
 */
function loadRaw(): RawSocketModule {
  if (rawModule) return rawModule;
  try {
    rawModule = createRequire(import.meta.url)('raw-socket') as RawSocketModule;
    return rawModule;
  } catch (error) {
    throw new Error(
      `ICMP unavailable: the raw-socket native module did not load (run \`npm rebuild raw-socket\`): ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}
const ICMP_HEADER_BYTES = 8;
const IPV6_HEADER_BYTES = 40;

const V4 = {
  echoRequest: 8,
  echoReply: 0,
  errors: new Map([
    [3, 'destination unreachable'],
    [11, 'time exceeded'],
  ]),
};
const V6 = {
  echoRequest: 128,
  echoReply: 129,
  errors: new Map([
    [1, 'destination unreachable'],
    [3, 'time exceeded'],
  ]),
};

export class IcmpSocket {
  private readonly socket: Socket;
  private readonly pending = new Map<number, Pending>();
  private readonly kind: typeof V4;
  private readonly raw: RawSocketModule;
  private nextSeq = randomInt(0, 0x10000);
  closed = false;

  constructor(readonly family: 4 | 6) {
    this.kind = family === 4 ? V4 : V6;
    const raw = (this.raw = loadRaw());
    try {
      this.socket = raw.createSocket({
        protocol: family === 4 ? raw.Protocol.ICMP : raw.Protocol.ICMPv6,
        addressFamily: family === 4 ? raw.AddressFamily.IPv4 : raw.AddressFamily.IPv6,
        bufferSize: 70_000,
      });
    } catch (error) {
      const text = String((error as Error).message ?? error);
      if (/EPERM|EACCES|not permitted|permission/i.test(text))
        throw new Error(ICMP_PERMISSION_MESSAGE, { cause: error });
      throw new Error(`cannot open ICMP socket: ${text}`, { cause: error });
    }
    this.socket.on('message', (buffer) => this.onMessage(buffer));
    // raw-socket closes the socket after an error; fail what is pending and let the next run reopen.
    this.socket.on('error', (error) => this.shutdown(describeError(error)));
    this.socket.on('close', () => this.shutdown('ICMP socket closed'));
  }

  /** Sends one echo request and settles with its RTT, a loss after `timeoutMs`, or an error. */
  echo(address: string, payloadBytes: number, timeoutMs: number, signal?: AbortSignal): Promise<EchoOutcome> {
    if (this.closed) return Promise.resolve({ error: 'ICMP socket closed' });
    if (signal?.aborted) return Promise.resolve({ error: 'aborted: agent stopping' });
    const seq = this.allocateSeq();
    if (seq === undefined) return Promise.resolve({ error: 'too many ICMP echoes in flight' });
    return new Promise<EchoOutcome>((resolve) => {
      const onAbort = () => settle({ error: 'aborted: agent stopping' });
      const settle = (outcome: EchoOutcome) => {
        const entry = this.pending.get(seq);
        if (!entry || entry.settle !== settle) return;
        clearTimeout(entry.timer);
        this.pending.delete(seq);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle({ lost: true }), timeoutMs);
      const entry: Pending = { sentAt: null, timer, settle };
      this.pending.set(seq, entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      const packet = this.buildRequest(seq, payloadBytes);
      this.socket.send(
        packet,
        0,
        packet.length,
        address,
        () => {
          entry.sentAt = process.hrtime.bigint();
        },
        (error) => {
          if (error) settle({ error: `cannot send to ${address}: ${lowerFirst(describeError(error))}` });
        },
      );
    });
  }

  close(): void {
    if (this.closed) return;
    this.shutdown('ICMP socket closed');
    this.socket.close();
  }

  private shutdown(reason: string): void {
    this.closed = true;
    for (const entry of [...this.pending.values()]) entry.settle({ error: reason });
  }

  private allocateSeq(): number | undefined {
    for (let tries = 0; tries < 0x10000; tries++) {
      const seq = this.nextSeq;
      this.nextSeq = (this.nextSeq + 1) & 0xffff;
      if (!this.pending.has(seq)) return seq;
    }
    return undefined;
  }

  private buildRequest(seq: number, payloadBytes: number): Buffer {
    const packet = Buffer.alloc(ICMP_HEADER_BYTES + payloadBytes);
    packet[0] = this.kind.echoRequest;
    packet.writeUInt16BE(IDENTIFIER, 4);
    packet.writeUInt16BE(seq, 6);
    for (let i = ICMP_HEADER_BYTES; i < packet.length; i++) packet[i] = i & 0xff;
    // The kernel fills in the ICMPv6 checksum (it covers a pseudo-header only it knows).
    if (this.family === 4) this.raw.writeChecksum(packet, 2, this.raw.createChecksum(packet));
    return packet;
  }

  private onMessage(buffer: Buffer): void {
    const received = process.hrtime.bigint();
    // An IPv4 raw socket hands over the IP header too; an ICMPv6 one starts at the ICMP header.
    const icmp = this.family === 4 ? buffer.subarray((buffer[0]! & 0x0f) * 4) : buffer;
    if (icmp.length < ICMP_HEADER_BYTES) return;
    const type = icmp[0]!;
    if (type === this.kind.echoReply) {
      this.match(icmp, (entry) => ({ rttMs: Number(received - (entry.sentAt ?? received)) / 1e6 }));
      return;
    }
    const words = this.kind.errors.get(type);
    if (!words) return; // our own echo requests seen on loopback, neighbour discovery, …
    // An ICMP error quotes the datagram that caused it: find our echo request inside.
    const quoted = icmp.subarray(ICMP_HEADER_BYTES);
    const inner =
      this.family === 4 ? quoted.subarray(((quoted[0] ?? 0) & 0x0f) * 4) : quoted.subarray(IPV6_HEADER_BYTES);
    if (inner.length < ICMP_HEADER_BYTES || inner[0] !== this.kind.echoRequest) return;
    this.match(inner, () => ({ error: `${words} (ICMP type ${type} code ${icmp[1]})` }));
  }

  private match(header: Buffer, outcome: (entry: Pending) => EchoOutcome): void {
    if (header.readUInt16BE(4) !== IDENTIFIER) return;
    const entry = this.pending.get(header.readUInt16BE(6));
    if (entry && entry.sentAt !== null) entry.settle(outcome(entry));
  }
}

const sockets = new Map<4 | 6, IcmpSocket>();

/** The process's socket for this family, opened on first use (and reopened after a failure). */
export function icmpSocket(family: 4 | 6): IcmpSocket {
  let socket = sockets.get(family);
  if (!socket || socket.closed) {
    socket = new IcmpSocket(family);
    sockets.set(family, socket);
  }
  return socket;
}

/** Closes the shared sockets (shutdown, tests): an open raw socket keeps the event loop alive. */
export function closeIcmpSockets(): void {
  for (const socket of sockets.values()) socket.close();
  sockets.clear();
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
