import { createRequire } from 'node:module';
import { describeError } from './errors.ts';
import {
  PAYLOAD_HEAD,
  UDP_PAYLOAD_BASE,
  UDP_TAGS,
  canonical,
  classifyIcmpError,
  echoKey,
  echoRequest,
  keys,
  udpLengthOf,
  udpPayload,
} from './traceroute-packets.ts';
import type { Answer, Flow, ProbeSockets } from './traceroute-sockets.ts';

/**
 * Traceroute without a raw socket (method "errqueue"), from the nop_errqueue native addon
 * (agents/native/errqueue.c). IP_RECVERR makes the kernel hand us every ICMP error about our
 * packets on the socket's error queue — the router that sent it, the ICMP type/code and the
 * quoted payload. Needs no privileges.
 *
 * udp: one ordinary UDP socket per flow, connected to the destination port (one fixed 5-tuple
 * per flow: Paris). Both methods send the same datagrams (udpPayload: the probe's tag in its
 * length, for the raw parser, and in its 12th byte, read here from the quoted payload), so they
 * see the same path.
 *
 * icmp: one ICMP datagram ("ping") socket per flow, where net.ipv4.ping_group_range lets this
 * process open one (pingSocketsAllowed): the kernel gives it an identifier of its own (the flow
 * id, kept for the whole trace) and sets the checksum, which echoRequest keeps constant (Paris);
 * ICMP errors quoting our echoes come from the error queue, echo replies from the normal queue.
 *
 * tcp: one TCP socket per probe, its TTL set before connect(): the SYN is the probe, the
 * destination's SYN-ACK or RST the reply (the addon then aborts the connection: a RST, no
 * TIME-WAIT). Every probe of a flow is bound to the flow's source port (Paris), and the kernel
 * allows one connection per 4-tuple, so a flow's probes go one at a time (Flow.serial): a silent
 * hop costs probeTimeout per probe instead of per window of TTLs. Flows still run side by side.
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
  /** udp: a UDP socket connected to address:port; icmp: a ping socket (port 0), localPort = its identifier */
  open(
    family: 4 | 6,
    address: string,
    port: number,
    onEvents: (error: Error | null, events: NativeEvent[]) => void,
    protocol?: 'udp' | 'icmp',
  ): { handle: object; localPort: number };
  /** returns the send time, ns since the socket's epoch; throws an Error with an errno `code` */
  send(handle: object, ttl: number, payload: Buffer): number;
  /**
   * One TCP SYN with this TTL from `localPort` (0: the kernel picks). One event follows (a
   * router's ICMP error, or the destination's SYN-ACK = type 0 / RST = type 1), or none.
   */
  connectTcp(
    family: 4 | 6,
    address: string,
    port: number,
    localPort: number,
    ttl: number,
    onEvents: (error: Error | null, events: NativeEvent[]) => void,
  ): { handle: object; localPort: number; sentNs: number };
  close(handle: object): void;
}

const ADDON_PATH = '../../native/build/Release/nop_errqueue.node';
const SO_EE_ORIGIN_ICMP = 2;
const SO_EE_ORIGIN_ICMP6 = 3;
/** connectTcp's non-error events: the destination accepted (SYN-ACK) or refused (RST). */
const TCP_SYN_ACK = 0;

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

  private flowCount = 0;

  constructor(
    readonly mode: 'udp' | 'tcp' | 'icmp',
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
    const flow = this.mode === 'tcp' ? this.tcpFlow() : this.mode === 'icmp' ? this.icmpFlow() : this.udpFlow();
    this.flows.push(flow);
    return Promise.resolve(flow);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const flow of this.flows) flow.close();
  }

  /** What an ICMP error on the queue says, or undefined when it is not about the path. */
  private classify(event: NativeEvent): Pick<Answer, 'kind' | 'words' | 'from'> | undefined {
    if (event.origin !== SO_EE_ORIGIN_ICMP && event.origin !== SO_EE_ORIGIN_ICMP6) return undefined;
    const classified = classifyIcmpError(this.family, event.type, event.code);
    if (!classified || event.from === '') return undefined;
    return { ...classified, from: canonical(event.from) };
  }

  private icmpFlow(): Flow {
    const { family, native } = this;
    const sent = new Map<string, SendTime>();
    const opened = native.open(
      family,
      this.destination,
      0,
      (error, events) => {
        if (error) {
          if (!this.closed) this.onError(`ICMP socket error: ${describeError(error)}`);
          return;
        }
        for (const event of events) {
          const data = event.data ?? Buffer.alloc(0);
          const said = event.error
            ? this.classify(event)
            : { kind: 'reply' as const, words: 'echo reply', from: canonical(event.from) };
          const key = echoKey(family, data, event.error ? 'request' : 'reply');
          const when = key === undefined ? undefined : sent.get(key);
          if (!said || key === undefined || !when) continue;
          this.deliver({ key, ...said, receivedAt: receivedAt(when, event.rxNs) });
        }
      },
      'icmp',
    );
    const identifier = opened.localPort; // the kernel's, fixed for the socket: the flow id
    return {
      keyOf: (seq) => keys.icmp(identifier, seq),
      send: (seq, ttl, onWire) =>
        attempt(() => {
          const echo = echoRequest(family, identifier, seq);
          onWire();
          sent.set(
            keys.icmp(identifier, seq),
            sendTimed(() => native.send(opened.handle, ttl, echo)),
          );
        }),
      close: closeOnce(native, opened.handle),
    };
  }

  private tcpFlow(): Flow {
    const { family, destination, destPort, native } = this;
    const flowNo = ++this.flowCount;
    let localPort = 0; // the kernel picks it for the first probe; every later one binds to it
    let current: object | undefined; // the socket of the probe in flight
    let open = true;
    const closeCurrent = () => {
      if (current) native.close(current);
      current = undefined;
    };
    const keyOf = (seq: number) => `q${flowNo}:${seq}`;
    return {
      serial: true,
      keyOf,
      send: (seq, ttl, onWire) =>
        attempt(() => {
          closeCurrent(); // answered already, or given up on by the prober
          const key = keyOf(seq);
          onWire();
          const hr = process.hrtime.bigint();
          const probe = native.connectTcp(family, destination, destPort, localPort, ttl, (error, events) => {
            if (error) {
              if (!this.closed) this.onError(`TCP probe failed: ${describeError(error)}`);
              return;
            }
            for (const event of events) {
              const said = event.error
                ? this.classify(event)
                : { kind: 'reply' as const, words: event.type === TCP_SYN_ACK ? 'SYN-ACK' : 'RST', from: destination };
              if (said) this.deliver({ key, ...said, receivedAt: receivedAt({ hr, ns: probe.sentNs }, event.rxNs) });
            }
          });
          localPort = probe.localPort;
          current = probe.handle;
        }),
      close: () => {
        if (!open) return;
        open = false;
        closeCurrent();
      },
    };
  }

  private udpFlow(): Flow {
    const { family, destination, destPort, native } = this;
    const sent = new Map<string, SendTime>();
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
        const said = this.classify(event);
        if (!said || length === undefined) return undefined;
        ({ kind, words, from } = said);
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
      return { key, kind, words, from, receivedAt: when ? receivedAt(when, event.rxNs) : process.hrtime.bigint() };
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
    return {
      keyOf: (seq) => keys.udp(localPort, destPort, udpLengthOf(seq)),
      send: (seq, ttl, onWire) =>
        attempt(() => {
          const key = keys.udp(localPort, destPort, udpLengthOf(seq));
          const payload = udpPayload(seq);
          onWire();
          const when = sendTimed(() => native.send(opened.handle, ttl, payload));
          sent.set(key, when);
          outstanding = outstanding.filter((o) => o.key !== key); // a tag reused after wrapping
          outstanding.push({ key, hr: when.hr });
        }),
      close: closeOnce(native, opened.handle),
    };
  }
}

/** When a probe left, on both clocks: hrtime (the prober's RTTs) and the addon's (ns since the socket's epoch). */
interface SendTime {
  hr: bigint;
  ns: number;
}

/** Sends (the addon returns its send time) and records hrtime just before. */
function sendTimed(send: () => number): SendTime {
  const hr = process.hrtime.bigint();
  return { hr, ns: send() };
}

/** An answer's arrival on the prober's clock: the send's hrtime plus the kernel's receive − send time. */
function receivedAt(sent: SendTime, rxNs: number): bigint {
  return sent.hr + BigInt(Math.round(rxNs - sent.ns));
}

/** Flow.send's contract: a rejected promise, not a throw, when the probe cannot be sent. */
function attempt(send: () => void): Promise<void> {
  try {
    send();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function closeOnce(native: NativeModule, handle: object): () => void {
  let open = true;
  return () => {
    if (open) native.close(handle);
    open = false;
  };
}

/** ICMP datagram sockets this process may open, per family, as last found (and when). */
const pingChecked = new Map<4 | 6, { allowed: boolean; at: number }>();
/** How long an answer stands: ping_group_range is a sysctl an administrator may change. */
const PING_CHECK_TTL_MS = 60_000;

/**
 * Whether this process may open an ICMP datagram ("ping") socket: net.ipv4.ping_group_range
 * (per network namespace, and for IPv6 too) covers its group. Found by opening one.
 */
export function pingSocketsAllowed(family: 4 | 6): boolean {
  const native = loadErrqueue();
  if (!native) return false;
  const known = pingChecked.get(family);
  if (known && Date.now() - known.at < PING_CHECK_TTL_MS) return known.allowed;
  let allowed = false;
  try {
    native.close(native.open(family, family === 4 ? '127.0.0.1' : '::1', 0, () => undefined, 'icmp').handle);
    allowed = true;
  } catch {
    // EACCES (not in ping_group_range), or no IPv6: raw sockets then
  }
  pingChecked.set(family, { allowed, at: Date.now() });
  return allowed;
}
