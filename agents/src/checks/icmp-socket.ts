import { createRequire } from 'node:module';
import { describeError } from './errors.ts';

/**
 * One ICMP socket per address family per process, shared by every icmp check, opened by the
 * nop_icmp native addon (agents/native/icmp.c): an unprivileged ICMP datagram socket when
 * net.ipv4.ping_group_range covers the process's group, else a raw socket (root/CAP_NET_RAW).
 * Echoes are told apart by the socket's identifier (random per open; a socket that failed is
 * replaced by a new one, with a new identifier) plus a per-socket sequence number. RTTs are the
 * kernel's receive timestamp minus the send time read in C right before sendto().
 */

export const ICMP_PERMISSION_MESSAGE = 'ICMP needs root/CAP_NET_RAW (or net.ipv4.ping_group_range covering this group)';

export type EchoOutcome = { rttMs: number; ttl?: number; from: string } | { lost: true } | { error: string };

export interface EchoOptions {
  /** IP TTL / hop limit of the request; the kernel's default when absent */
  ttl?: number;
  /** IPv4: set DF and never fragment; IPv6: never fragment locally */
  dontFragment?: boolean;
}

/** Which socket to open: 'auto' = datagram when allowed, else raw. */
export type SocketMode = 'auto' | 'dgram' | 'raw';

/**
 * What the addon hands back per wakeup (see native/icmp.c): `count` ICMP messages, as
 * PACKET_FIELDS numbers each in `fields` (type, code, id, seq, kernel receive time in ns since the
 * socket's epoch, reply TTL / hop limit or -1, 1 for an ICMP error quoting our echo) and the
 * sender's address in `from`. No object per message.
 */
type OnPackets = (error: Error | null, count: number, fields: Float64Array, from: string[]) => void;

const PACKET_FIELDS = 7;

interface NativeSocket {
  handle: object;
  kind: 'dgram' | 'raw';
  identifier: number;
}

interface NativeModule {
  open(family: 4 | 6, mode: SocketMode, onPackets: OnPackets): NativeSocket;
  /** returns the send time, ns since the socket's epoch; throws an Error with an errno `code` */
  send(handle: object, address: string, seq: number, size: number, ttl: number, dontFragment: boolean): number;
  close(handle: object): void;
}

const ADDON_PATH = '../../native/build/Release/nop_icmp.node';
let nativeModule: NativeModule | undefined;

/**
 * The addon is loaded on first use: if it was never built (npm skipped the install script, no
 * compiler) the icmp results say so and every other check type still works.
 */
function loadNative(): NativeModule {
  if (nativeModule) return nativeModule;
  try {
    nativeModule = createRequire(import.meta.url)(ADDON_PATH) as NativeModule;
    return nativeModule;
  } catch (error) {
    throw new Error(
      `ICMP unavailable: the nop_icmp native addon did not load (run \`npm rebuild @nop/agent\`, which needs make and a C compiler): ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}

const ERROR_WORDS: Record<4 | 6, Map<number, string>> = {
  4: new Map([
    [3, 'destination unreachable'],
    [11, 'time exceeded'],
    [12, 'parameter problem'],
  ]),
  6: new Map([
    [1, 'destination unreachable'],
    [2, 'packet too big'],
    [3, 'time exceeded'],
    [4, 'parameter problem'],
  ]),
};

/**
 * One echo in flight. A class with `handleEvent` for the abort listener: no closures per echo
 * (cheaper, and tsx's keepNames would wrap each one). Timeouts are not a timer per echo but a
 * deadline in the socket's sweep queue (see IcmpSocket.sweep).
 */
class PendingEcho {
  sentNs: number | null = null;
  /** performance.now() after which the echo counts as lost */
  deadline = 0;
  done = false;
  address = '';
  size = 0;
  ttl = -1;
  dontFragment = false;
  resolve: (outcome: EchoOutcome) => void = noop;
  constructor(
    readonly socket: IcmpSocket,
    readonly seq: number,
    readonly signal: AbortSignal | undefined,
  ) {}

  settle(outcome: EchoOutcome): void {
    if (this.done) return;
    this.done = true;
    this.socket.forget(this);
    this.signal?.removeEventListener('abort', this);
    this.resolve(outcome);
  }

  /** the abort listener */
  handleEvent(): void {
    this.settle({ error: 'aborted: agent stopping' });
  }
}

function noop(): void {}

/** Echoes of one timeout value, in sending order, so their deadlines only grow. */
class DeadlineQueue {
  items: PendingEcho[] = [];
  head = 0;
}

/**
 * Echoes sent per event-loop turn at most; more wait for the next turn, after the poll phase has
 * drained the replies so far. On loopback a reply is queued during sendto() itself, so a burst of
 * thousands of echoes in one turn would overflow the receive buffer, which an unprivileged socket
 * cannot raise past net.core.rmem_max (208 KiB by default, doubled by the kernel: ~400 replies).
 */
const SENDS_PER_TURN = 256;

function nextTurn(socket: IcmpSocket): void {
  socket.nextTurn();
}

const LOST: EchoOutcome = Object.freeze({ lost: true });

function sweep(socket: IcmpSocket): void {
  socket.sweep();
}

export class IcmpSocket {
  readonly kind: 'dgram' | 'raw';
  readonly identifier: number;
  private readonly native: NativeModule;
  private readonly socket: NativeSocket;
  private readonly pending = new Map<number, PendingEcho>();
  /** per timeout value, the echoes in sending order; one timer for the earliest live deadline */
  private readonly deadlines = new Map<number, DeadlineQueue>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepAt = Infinity;
  /** the sweep timer keeps the process alive only while echoes are pending */
  private sweepRefed = false;
  private nextSeq = Math.floor(Math.random() * 0x10000);
  /** sends left in this event-loop turn, and the echoes waiting for the next turns */
  private budget = SENDS_PER_TURN;
  private queue: PendingEcho[] = [];
  private queueHead = 0;
  private turnScheduled = false;
  closed = false;

  constructor(
    readonly family: 4 | 6,
    mode: SocketMode = 'auto',
  ) {
    const native = (this.native = loadNative());
    try {
      this.socket = native.open(family, mode, (error, count, fields, from) =>
        this.onPackets(error, count, fields, from),
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPERM' || code === 'EACCES') throw new Error(ICMP_PERMISSION_MESSAGE, { cause: error });
      throw new Error(`cannot open ICMP socket: ${(error as Error).message}`, { cause: error });
    }
    this.kind = this.socket.kind;
    this.identifier = this.socket.identifier;
  }

  /** Sends one echo request and settles with its RTT, a loss after `timeoutMs`, or an error. */
  echo(
    address: string,
    payloadBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
    options: EchoOptions = {},
  ): Promise<EchoOutcome> {
    if (this.closed) return Promise.resolve({ error: 'ICMP socket closed' });
    if (signal?.aborted) return Promise.resolve({ error: 'aborted: agent stopping' });
    const seq = this.allocateSeq();
    if (seq === undefined) return Promise.resolve({ error: 'too many ICMP echoes in flight' });
    const entry = new PendingEcho(this, seq, signal);
    const promise = new Promise<EchoOutcome>((resolve) => (entry.resolve = resolve));
    this.pending.set(seq, entry);
    const deadline = (entry.deadline = performance.now() + timeoutMs);
    let queue = this.deadlines.get(timeoutMs);
    if (!queue) this.deadlines.set(timeoutMs, (queue = new DeadlineQueue()));
    queue.items.push(entry);
    if (deadline < this.sweepAt) this.armSweep(deadline);
    else if (!this.sweepRefed) {
      this.sweepTimer!.ref();
      this.sweepRefed = true;
    }
    signal?.addEventListener('abort', entry, { once: true });
    entry.address = address;
    entry.size = payloadBytes;
    entry.ttl = options.ttl ?? -1;
    entry.dontFragment = options.dontFragment ?? false;
    // The budget is only renewed once spent (no timer per turn): at worst one echo in
    // SENDS_PER_TURN waits one loop turn, and its send time is taken when it leaves.
    if (this.budget > 0 && this.queueHead === this.queue.length) this.transmit(entry);
    else {
      this.queue.push(entry);
      this.scheduleTurn();
    }
    return promise;
  }

  /**
   * @internal An echo settled: out of the table. When none is left, the queues are emptied and
   * the sweep timer stays armed but unref'd: the next echo (often in the next few milliseconds)
   * only refs it again instead of a clearTimeout + setTimeout per echo.
   */
  forget(entry: PendingEcho): void {
    this.pending.delete(entry.seq);
    if (this.pending.size > 0) return;
    for (const queue of this.deadlines.values()) {
      queue.items.length = 0;
      queue.head = 0;
    }
    if (this.sweepRefed) {
      this.sweepTimer?.unref();
      this.sweepRefed = false;
    }
  }

  private armSweep(at: number): void {
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.sweepAt = at;
    this.sweepTimer = setTimeout(sweep, Math.max(1, Math.ceil(at - performance.now())), this);
    this.sweepRefed = true;
  }

  private stopSweep(): void {
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    this.sweepRefed = false;
    this.deadlines.clear();
  }

  /**
   * @internal The sweep timer: echoes past their deadline are lost; settled ones leave their
   * queues; the timer is armed again for the earliest deadline still live.
   */
  sweep(): void {
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    this.sweepRefed = false;
    // Node's millisecond timers may fire a fraction early: that fraction counts as due.
    const now = performance.now() + 1;
    let next = Infinity;
    for (const [timeoutMs, queue] of this.deadlines) {
      const { items } = queue;
      let head = queue.head;
      while (head < items.length) {
        const entry = items[head]!;
        if (!entry.done && entry.deadline > now) break;
        head++;
        if (!entry.done) entry.settle(LOST);
        // settle() may have emptied the table, and with it the queues
        if (items.length === 0) head = 0;
      }
      if (head >= items.length) {
        this.deadlines.delete(timeoutMs);
        continue;
      }
      if (head > 1024 && head * 2 > items.length) {
        queue.items = items.slice(head);
        head = 0;
      }
      queue.head = head;
      const first = queue.items[head]!.deadline;
      if (first < next) next = first;
    }
    if (next !== Infinity && this.pending.size > 0) this.armSweep(next);
  }

  private transmit(entry: PendingEcho): void {
    this.budget--;
    try {
      // On loopback the reply can be queued before send() returns; it is only read once this
      // tick ends, so sentNs is always set first.
      entry.sentNs = this.native.send(
        this.socket.handle,
        entry.address,
        entry.seq,
        entry.size,
        entry.ttl,
        entry.dontFragment,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECLOSED' || code === 'EBADF' || code === 'ENOTSOCK') this.fail(describeError(error));
      else entry.settle({ error: `cannot send to ${entry.address}: ${lowerFirst(describeError(error))}` });
    }
  }

  /** After this turn's poll phase (which drains the replies so far): a new budget, queued sends. */
  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(nextTurn, this);
  }

  /** @internal */
  nextTurn(): void {
    this.turnScheduled = false;
    this.budget = SENDS_PER_TURN;
    while (this.budget > 0 && this.queueHead < this.queue.length && !this.closed) {
      const entry = this.queue[this.queueHead++]!;
      if (!entry.done) this.transmit(entry); // else expired or aborted meanwhile
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else this.scheduleTurn();
  }

  close(): void {
    if (this.closed) return;
    this.shutdown('ICMP socket closed');
    this.native.close(this.socket.handle);
  }

  /** A socket error: fail what is pending and close; the next run opens a new socket. */
  private fail(reason: string): void {
    if (this.closed) return;
    this.shutdown(reason);
    this.native.close(this.socket.handle);
  }

  private shutdown(reason: string): void {
    this.closed = true;
    this.queue = [];
    this.queueHead = 0;
    for (const entry of [...this.pending.values()]) entry.settle({ error: reason });
    this.stopSweep();
  }

  private allocateSeq(): number | undefined {
    for (let tries = 0; tries < 0x10000; tries++) {
      const seq = this.nextSeq;
      this.nextSeq = (this.nextSeq + 1) & 0xffff;
      if (!this.pending.has(seq)) return seq;
    }
    return undefined;
  }

  private onPackets(error: Error | null, count: number, fields: Float64Array, from: string[]): void {
    for (let i = 0, f = 0; i < count; i++, f += PACKET_FIELDS) {
      if (fields[f + 2] !== this.identifier) continue;
      const entry = this.pending.get(fields[f + 3]!);
      if (!entry || entry.sentNs === null) continue;
      const type = fields[f]!;
      if (fields[f + 6] !== 0) {
        const words = ERROR_WORDS[this.family].get(type) ?? 'ICMP error';
        const sender = from[i] ? ` from ${from[i]}` : '';
        entry.settle({ error: `${words}${sender} (ICMP type ${type} code ${fields[f + 1]})` });
      } else {
        // A clock step between send and receive could make this negative: report 0, not garbage.
        const rttMs = Math.max(0, fields[f + 4]! - entry.sentNs) / 1e6;
        const ttl = fields[f + 5]!;
        entry.settle(ttl >= 0 ? { rttMs, ttl, from: from[i]! } : { rttMs, from: from[i]! });
      }
    }
    if (error) this.fail(describeError(error));
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

/** Closes the shared sockets (shutdown, tests). */
export function closeIcmpSockets(): void {
  for (const socket of sockets.values()) socket.close();
  sockets.clear();
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
