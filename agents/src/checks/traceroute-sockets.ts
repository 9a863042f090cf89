import { randomInt } from 'node:crypto';
import { type Socket as UdpSocket, createSocket as createUdpSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import type { Socket } from 'raw-socket';
import { describeError } from './errors.ts';
import {
  type Mode,
  type ParsedAnswer,
  canonical,
  echoRequest,
  keys,
  parseIcmp,
  parseTcp,
  tcpSyn,
  udpLengthOf,
  udpPayload,
} from './traceroute-packets.ts';

/**
 * The sockets of one traceroute run (method "raw"): one raw ICMP socket that reads every answer
 * (and sends the echoes of icmp mode), a dgram socket per flow for udp mode, a raw TCP socket for
 * the SYNs of tcp mode (it also reads the SYN-ACK / RST of the destination). Each run opens its
 * own and closes them at its end; concurrent runs tell their answers apart by flow ids.
 */

export const TRACEROUTE_PERMISSION_MESSAGE = 'traceroute needs root/CAP_NET_RAW (it reads ICMP on a raw socket)';
export const ICMP_TRACEROUTE_PERMISSION_MESSAGE =
  'icmp traceroute needs root/CAP_NET_RAW or net.ipv4.ping_group_range covering this group (udp and tcp modes need neither)';

interface RawSocket extends Socket {
  setOption(level: number, option: number, value: number): void;
}
type RawModule = typeof import('raw-socket') & {
  SocketLevel: { IPPROTO_IP: number; IPPROTO_IPV6: number };
  SocketOption: { IP_TTL: number; IPV6_UNICAST_HOPS: number };
};

let rawModule: RawModule | undefined;
function loadRaw(): RawModule {
  if (rawModule) return rawModule;
  try {
    rawModule = createRequire(import.meta.url)('raw-socket') as RawModule;
    return rawModule;
  } catch (error) {
    throw new Error(
      `traceroute unavailable: the raw-socket native module did not load (run \`npm rebuild raw-socket\`): ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}

/** One answer as it arrived: who sent it, when, and what it says. */
export interface Answer extends ParsedAnswer {
  from: string;
  receivedAt: bigint;
}

/** One flow: a fixed flow id; `send` puts one probe with this TTL on the wire. */
export interface Flow {
  /** one probe in flight at a time: send the next only once the last is answered or lost */
  readonly serial?: boolean;
  /** the key answers to probe number `seq` of this flow will carry */
  keyOf(seq: number): string;
  /** resolves once handed to the kernel; `onWire` marks the moment (for the RTT) */
  send(seq: number, ttl: number, onWire: () => void): Promise<void>;
  close(): void;
}

/** The sockets of one run, whichever the method: flows to open, everything to close at the end. */
export interface ProbeSockets {
  readonly method: 'raw' | 'errqueue';
  openFlow(): Promise<Flow>;
  close(): void;
}

const inUse = new Set<string>(); // ICMP identifiers and TCP source ports of this process's runs

function allocate(prefix: string, min: number, max: number): number {
  for (let tries = 0; tries < 1000; tries++) {
    const value = randomInt(min, max + 1);
    if (!inUse.has(`${prefix}${value}`)) {
      inUse.add(`${prefix}${value}`);
      return value;
    }
  }
  throw new Error('no free flow id');
}

function openRaw(raw: RawModule, family: 4 | 6, protocol: number): RawSocket {
  try {
    return raw.createSocket({
      protocol,
      addressFamily: family === 4 ? raw.AddressFamily.IPv4 : raw.AddressFamily.IPv6,
      bufferSize: 70_000,
    }) as RawSocket;
  } catch (error) {
    const text = String((error as Error).message ?? error);
    if (/EPERM|EACCES|not permitted|permission/i.test(text))
      throw new Error(TRACEROUTE_PERMISSION_MESSAGE, { cause: error });
    throw new Error(`cannot open raw socket: ${text}`, { cause: error });
  }
}

function sendRaw(
  raw: RawModule,
  socket: RawSocket,
  family: 4 | 6,
  packet: Buffer,
  destination: string,
  ttl: number,
  onWire: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(
      packet,
      0,
      packet.length,
      destination,
      () => {
        // raw-socket sends from a queue: the TTL is set right before this packet goes out.
        if (family === 4) socket.setOption(raw.SocketLevel.IPPROTO_IP, raw.SocketOption.IP_TTL, ttl);
        else socket.setOption(raw.SocketLevel.IPPROTO_IPV6, raw.SocketOption.IPV6_UNICAST_HOPS, ttl);
        onWire();
      },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

/** The local address the kernel would send from to reach `destination` (no packet is sent). */
function sourceAddressFor(destination: string, family: 4 | 6): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createUdpSocket(family === 4 ? 'udp4' : 'udp6');
    socket.on('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.connect(9, destination, () => {
      const address = socket.address().address;
      socket.close();
      resolve(canonical(address));
    });
  });
}

export class TraceSockets implements ProbeSockets {
  readonly method = 'raw';
  private readonly raw: RawModule;
  private readonly icmp: RawSocket;
  private tcp: RawSocket | undefined;
  private readonly flows: Flow[] = [];
  private readonly onError: (message: string) => void;
  private closed = false;

  constructor(
    readonly mode: Mode,
    readonly family: 4 | 6,
    readonly destination: string,
    readonly destPort: number,
    deliver: (answer: Answer) => void,
    onError: (message: string) => void,
  ) {
    this.onError = onError;
    const raw = (this.raw = loadRaw());
    this.icmp = openRaw(raw, family, family === 4 ? raw.Protocol.ICMP : raw.Protocol.ICMPv6);
    this.icmp.on('message', (buffer, source) => {
      const receivedAt = process.hrtime.bigint();
      const parsed = parseIcmp(family, buffer, destination);
      if (parsed) deliver({ ...parsed, from: canonical(source), receivedAt });
    });
    this.watch(this.icmp, 'ICMP');
    if (mode === 'tcp') {
      try {
        this.tcp = openRaw(raw, family, raw.Protocol.TCP);
      } catch (error) {
        this.icmp.close();
        throw error;
      }
      this.tcp.on('message', (buffer, source) => {
        const receivedAt = process.hrtime.bigint();
        if (canonical(source) !== destination) return;
        const parsed = parseTcp(family, buffer);
        if (parsed) deliver({ ...parsed, from: destination, receivedAt });
      });
      this.watch(this.tcp, 'TCP');
    }
  }

  /** A new flow with its own flow id (ICMP identifier, UDP or TCP source port). */
  async openFlow(): Promise<Flow> {
    const flow =
      this.mode === 'icmp' ? this.icmpFlow() : this.mode === 'udp' ? await this.udpFlow() : await this.tcpFlow();
    this.flows.push(flow);
    return flow;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const flow of this.flows) flow.close();
    this.icmp.close();
    this.tcp?.close();
  }

  private watch(socket: RawSocket, what: string): void {
    socket.on('error', (error) => {
      if (!this.closed) this.onError(`${what} socket error: ${describeError(error)}`);
    });
  }

  private icmpFlow(): Flow {
    const identifier = allocate('i', 0, 0xffff);
    return {
      keyOf: (seq) => keys.icmp(identifier, seq),
      send: (seq, ttl, onWire) =>
        sendRaw(
          this.raw,
          this.icmp,
          this.family,
          echoRequest(this.family, identifier, seq),
          this.destination,
          ttl,
          onWire,
        ),
      close: () => inUse.delete(`i${identifier}`),
    };
  }

  private async udpFlow(): Promise<Flow> {
    // The destination is an address already: answering the lookup at once hands the datagram to
    // the kernel inside send(), right after onWire, so the RTT starts when the probe leaves.
    const family = this.family;
    const socket: UdpSocket = createUdpSocket({
      type: family === 4 ? 'udp4' : 'udp6',
      lookup: (address, _options, callback) => callback(null, address, family),
    });
    socket.on('error', () => undefined); // unconnected: ICMP errors are read on the raw socket
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const sourcePort = socket.address().port;
    // setTTL applies to the next send: with the lookup answered at once, send() hands the datagram
    // to the kernel before it returns (uv_udp_try_send), so each probe leaves with its own TTL and
    // onWire is taken right before it leaves. (Only a full socket buffer would queue a send.)
    const send = (seq: number, ttl: number, onWire: () => void) =>
      new Promise<void>((resolve, reject) => {
        const payload = udpPayload(seq);
        socket.setTTL(ttl);
        onWire();
        socket.send(payload, this.destPort, this.destination, (error) => (error ? reject(error) : resolve()));
      });
    return {
      keyOf: (seq) => keys.udp(sourcePort, this.destPort, udpLengthOf(seq)),
      send,
      close: () => socket.close(),
    };
  }

  private async tcpFlow(): Promise<Flow> {
    const source = await sourceAddressFor(this.destination, this.family);
    const sourcePort = allocate('t', 33_000, 60_999);
    const base = randomInt(0, 0x7fffffff);
    const tcp = this.tcp!;
    return {
      keyOf: (seq) => keys.tcp(sourcePort, this.destPort, base + seq),
      send: (seq, ttl, onWire) =>
        sendRaw(
          this.raw,
          tcp,
          this.family,
          tcpSyn(source, this.destination, sourcePort, this.destPort, base + seq),
          this.destination,
          ttl,
          onWire,
        ),
      close: () => inUse.delete(`t${sourcePort}`),
    };
  }
}
