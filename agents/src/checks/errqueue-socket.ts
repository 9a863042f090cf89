import { createRequire } from 'node:module';
import { describeError } from './errors.ts';
import {
  PAYLOAD_HEAD,
  UDP_PAYLOAD_BASE,
  UDP_TAGS,
  canonical,
  classifyIcmpError,
  keys,
  udpLengthOf,
  udpPayload,
} from './traceroute-packets.ts';
import type { Answer, Flow, ProbeSockets } from './traceroute-sockets.ts';

/**
 * Traceroute without a raw socket (method "errqueue"), udp mode: one ordinary UDP socket per
 * flow from the nop_errqueue native addon (agents/native/errqueue.c), connected to the
 * destination port (one fixed 5-tuple per flow: Paris), with IP_RECVERR so the kernel hands us
 * every ICMP error about our datagrams on the socket's error queue — the router that sent it,
 * the ICMP type/code and the quoted payload. Both methods send the same datagrams (udpPayload:
 * the probe's tag in its length, for the raw parser, and in its 12th byte, read here from the
 * quoted payload), so they see the same path. Needs no privileges.
 */

/** What the addon hands back per message (see native/errqueue.c). */
interface NativeEvent {
  /** from the error queue (an ICMP error quoting our datagram) rather than a UDP reply */
  error: boolean;
  /** the router (SO_EE_OFFENDER) or the replying host; '' when unknown */
  from: string;
  /** SO_EE_ORIGIN_*: 2 = ICMP, 3 = ICMPv6, 1 = local */
  origin: number;
  type: number;
  code: number;
  /** the quoted payload of our datagram (error), or the reply's payload */
  data?: Buffer;
  /** kernel receive time, ns since the socket's epoch */
  rxNs: number;
}

interface NativeModule {
  open(
    family: 4 | 6,
    address: string,
    port: number,
    onEvents: (error: Error | null, events: NativeEvent[]) => void,
  ): { handle: object; localPort: number };
  /** returns the send time, ns since the socket's epoch; throws an Error with an errno `code` */
  send(handle: object, ttl: number, payload: Buffer): number;
  close(handle: object): void;
}

const ADDON_PATH = '../../native/build/Release/nop_errqueue.node';
const SO_EE_ORIGIN_ICMP = 2;
const SO_EE_ORIGIN_ICMP6 = 3;

let nativeModule: NativeModule | undefined;
let loadError: string | undefined;

/** The addon, or undefined (and errqueueUnavailable() says why) when it was never built. */
export function loadErrqueue(): NativeModule | undefined {
  if (nativeModule || loadError) return nativeModule;
  try {
    nativeModule = createRequire(import.meta.url)(ADDON_PATH) as NativeModule;
  } catch (error) {
    loadError = `the nop_errqueue native addon did not load (run \`npm rebuild @nop/agent\`, which needs make and a C compiler): ${(error as Error).message.split('\n')[0]}`;
  }
  return nativeModule;
}

export function errqueueUnavailable(): string | undefined {
  loadErrqueue();
  return loadError;
}

/**
 * What a quoted payload (or an echoed reply) says: the UDP length of the probe it belongs to.
 * The tag is read from the payload's 12th byte rather than from its length, which a router may
 * pad (RFC 4884 extensions) or cut. Undefined: not one of our probes (or too little quoted).
 */
export function lengthFromPayload(data: Buffer): number | undefined {
  if (data.length < UDP_PAYLOAD_BASE || !data.subarray(0, PAYLOAD_HEAD.length).equals(PAYLOAD_HEAD)) return undefined;
  return udpLengthOf(data[UDP_PAYLOAD_BASE - 1]! % UDP_TAGS);
}

export class ErrqueueSockets implements ProbeSockets {
  readonly method = 'errqueue';
  private readonly native: NativeModule;
  private readonly flows: Flow[] = [];
  private closed = false;

  constructor(
    readonly family: 4 | 6,
    readonly destination: string,
    readonly destPort: number,
    /** how long a probe waits for its answer: older ones cannot be what a UDP reply answers */
    private readonly probeTimeoutMs: number,
    private readonly deliver: (answer: Answer) => void,
    private readonly onError: (message: string) => void,
  ) {
    const native = loadErrqueue();
    if (!native) throw new Error(`traceroute errqueue method unavailable: ${loadError}`);
    this.native = native;
  }

  openFlow(): Promise<Flow> {
    const flow = this.udpFlow();
    this.flows.push(flow);
    return Promise.resolve(flow);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const flow of this.flows) flow.close();
  }

  private udpFlow(): Flow {
    const { family, destination, destPort, native } = this;
    // When each probe left: hrtime (the clock of the prober's RTTs) and the addon's send time.
    const sent = new Map<string, { hr: bigint; ns: number }>();
    // Probes not answered yet, oldest first: a reply that does not echo our payload answers the oldest.
    let outstanding: { key: string; hr: bigint }[] = [];
    const oldestOutstanding = (): string | undefined => {
      const cutoff = process.hrtime.bigint() - BigInt(this.probeTimeoutMs) * 1_000_000n;
      while (outstanding.length > 0 && outstanding[0]!.hr < cutoff) outstanding.shift();
      return outstanding.shift()?.key;
    };
    let localPort = 0;
    const toAnswer = (event: NativeEvent): Answer | undefined => {
      const data = event.data ?? Buffer.alloc(0);
      const length = lengthFromPayload(data);
      let kind: Answer['kind'];
      let words: string;
      let from: string;
      if (event.error) {
        if (event.origin !== SO_EE_ORIGIN_ICMP && event.origin !== SO_EE_ORIGIN_ICMP6) return undefined;
        const classified = classifyIcmpError(family, event.type, event.code);
        if (!classified || event.from === '' || length === undefined) return undefined;
        ({ kind, words } = classified);
        from = canonical(event.from);
      } else {
        // A UDP reply from the destination: our probe echoed back, or else it answers the oldest one.
        kind = 'reply';
        words = 'UDP reply';
        from = destination;
      }
      const key = length === undefined ? oldestOutstanding() : keys.udp(localPort, destPort, length);
      if (key === undefined) return undefined;
      if (length !== undefined) outstanding = outstanding.filter((o) => o.key !== key);
      const when = sent.get(key);
      const receivedAt = when ? when.hr + BigInt(Math.round(event.rxNs - when.ns)) : process.hrtime.bigint();
      return { key, kind, words, from, receivedAt };
    };
    const opened = native.open(family, destination, destPort, (error, events) => {
      if (error) {
        if (!this.closed) this.onError(`UDP socket error: ${describeError(error)}`);
        return;
      }
      for (const event of events) {
        const answer = toAnswer(event);
        if (answer) this.deliver(answer);
      }
    });
    localPort = opened.localPort;
    let open = true;
    return {
      keyOf: (seq) => keys.udp(localPort, destPort, udpLengthOf(seq)),
      send: (seq, ttl, onWire) => {
        try {
          const key = keys.udp(localPort, destPort, udpLengthOf(seq));
          const payload = udpPayload(seq);
          onWire();
          const hr = process.hrtime.bigint();
          const ns = native.send(opened.handle, ttl, payload);
          sent.set(key, { hr, ns });
          outstanding = outstanding.filter((o) => o.key !== key); // a tag reused after wrapping
          outstanding.push({ key, hr });
          return Promise.resolve();
        } catch (error) {
          return Promise.reject(error as Error);
        }
      },
      close: () => {
        if (!open) return;
        open = false;
        native.close(opened.handle);
      },
    };
  }
}
