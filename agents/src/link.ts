import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { hostname as osHostname } from 'node:os';
import {
  AGENT_LINK_PATH,
  type AgentConfig,
  type AgentToBackend,
  BackendToAgent,
  CheckResult,
  type RejectedResult,
} from '@nop/protocol';
import WebSocket, { type ClientOptions } from 'ws';
import { displayUrl, parseBackendUrls } from './backend-urls.ts';
import { Backoff } from './backoff.ts';
import { type Logger, silentLogger } from './log.ts';
import { type Batch, Outbox, type OutboxOptions } from './outbox.ts';
import { AGENT_VERSION } from './version.ts';

/** What the link drives: the scheduler (or anything shaped like it). */
export interface LinkTarget {
  apply(checks: AgentConfig['checks']): unknown;
  start(): void;
  stop(): void;
  reload(): void;
  readonly running: boolean;
}

export interface LinkOptions {
  /**
   * The backend: one URL, several comma-separated (or a list), tried in order. A host name that
   * resolves to several addresses is several targets.
   */
  backendUrl: string | readonly string[];
  token: string;
  target: LinkTarget;
  log?: Logger;
  hostname?: string;
  agentVersion?: string;
  /** delays between rounds of failed connects, ms (defaults 500 .. 30,000) */
  backoff?: { minMs?: number; maxMs?: number };
  /** pause before trying the next target after a failed connect or a closed link (250 ms) */
  failoverPauseMs?: number;
  /** a ping every heartbeatMs; no pong by the next one ends the link (5,000: a vanished host is noticed in ≤ 10 s) */
  heartbeatMs?: number;
  /** how long a connect (TCP, TLS, upgrade) may take before the next target is tried (5,000) */
  connectTimeoutMs?: number;
  /** resolves a backend host name to its addresses at each round (dns.lookup, all: true) */
  lookup?: (hostname: string) => Promise<{ address: string; family: number }[]>;
  outbox?: Omit<OutboxOptions, 'send'>;
  onConnectedChange?: (connected: boolean) => void;
  /** the backend could not commit a batch (it will be sent again) */
  onNack?: () => void;
  /** results the backend refused for good (dropped, never sent again) */
  onRejected?: (count: number) => void;
  /** results the backend already had (normal after a re-send) */
  onDuplicates?: (count: number) => void;
  /** test hook: each message received, after validation */
  onMessage?: (message: BackendToAgent) => void;
}

/** One place to dial: a backend URL, and the address its host name resolved to (when a name). */
interface Target {
  /** the backend URL as configured */
  base: string;
  /** its link endpoint (ws:// or wss://) */
  url: string;
  address?: string;
  family?: number;
  /** base + address: who is who across rounds */
  key: string;
}

const REJECT_LOG_EVERY_MS = 60_000;
/** a link that stayed up this long was a success: its close starts a fresh round after a short pause */
const STABLE_LINK_MS = 5000;

/** `http://host:8080/prefix` -> `ws://host:8080/prefix/api/v1/agents/link` (https -> wss). */
export function linkUrl(backendUrl: string): string {
  const url = new URL(backendUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.pathname = url.pathname.replace(/\/+$/, '') + AGENT_LINK_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * The agent's control link: one outbound WebSocket to the backend, re-dialled with backoff.
 * Registers on open, obeys config and commands, ships result batches and re-sends every unacked
 * batch after a reconnect.
 */
export class Link {
  readonly outbox: Outbox;
  private ws?: WebSocket;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private readonly urls: string[];
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private closing = false;
  private refusedLogged = false;
  /** targets whose failure was already said at warn since the link was last up */
  private readonly warned = new Set<string>();
  /** this round's targets, and the next one to try */
  private round: Target[] = [];
  private roundIndex = 0;
  private roundRefused = false;
  /** a new round starts after this target (the one whose link just closed) */
  private resumeAfter?: string;
  private rounds = 0;
  private connectedTo?: Target;
  private lastConfig?: AgentConfig;
  /** a nack was said at warn: the rest of this outage (until an ack) goes to debug */
  private nackOutage = false;
  private rejectLoggedAt = -Infinity;
  private rejectSuppressed = 0;
  connected = false;
  configVersion = 0;

  constructor(private readonly options: LinkOptions) {
    this.log = (options.log ?? silentLogger).child({ component: 'link' });
    this.urls = parseBackendUrls(options.backendUrl);
    this.backoff = new Backoff(options.backoff?.minMs ?? 500, options.backoff?.maxMs ?? 30_000);
    this.outbox = new Outbox({
      ...options.outbox,
      send: (batch) => this.sendBatch(batch),
      onDrop: (count) => {
        this.log.warn({ dropped: count, total: this.outbox.dropped }, 'result buffer full: dropped the oldest results');
        options.outbox?.onDrop?.(count);
      },
    });
  }

  start(): void {
    this.closing = false;
    this.outbox.start();
    this.connect();
  }

  /** The backend the link is up to (its URL as configured, without credentials, and the address dialled). */
  get backend(): { url: string; address?: string } | undefined {
    const target = this.connectedTo;
    if (!target) return undefined;
    return { url: displayUrl(target.base), ...(target.address ? { address: target.address } : {}) };
  }

  /** Queues a result for the backend (validated first: one bad result must not poison a batch). */
  push(result: CheckResult): void {
    const parsed = CheckResult.safeParse(result);
    if (!parsed.success) {
      this.log.error({ checkId: result.checkId, issue: parsed.error.issues[0] }, 'dropped an invalid result');
      return;
    }
    this.outbox.add(parsed.data);
  }

  /** Flushes and waits up to `drainMs` for acks, then closes the socket for good. */
  async close(drainMs = 2000): Promise<void> {
    if (this.connected) {
      const drained = await this.outbox.drain(drainMs);
      if (!drained) this.log.warn({ unacked: this.outbox.pending }, 'closing with unacked results');
    }
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.outbox.close();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'agent stopping');
    });
  }

  /** Dials the round's next target; a new round (names resolved again) when this one is done. */
  private connect(): void {
    if (this.closing) return;
    const next = this.round[this.roundIndex];
    if (next) {
      this.roundIndex++;
      this.dial(next);
      return;
    }
    const round = ++this.rounds;
    void this.resolveTargets().then((targets) => {
      if (this.closing || round !== this.rounds) return;
      // after a closed link the others come first: the target that just failed is tried last
      const after = targets.findIndex((t) => t.key === this.resumeAfter);
      this.round = after < 0 ? targets : [...targets.slice(after + 1), ...targets.slice(0, after + 1)];
      this.resumeAfter = undefined;
      this.roundIndex = 0;
      this.roundRefused = false;
      this.connect();
    });
  }

  /** Every backend URL, a host name once per address it resolves to now (in the resolver's order). */
  private async resolveTargets(): Promise<Target[]> {
    const lookup = this.options.lookup ?? ((host: string) => dnsLookup(host, { all: true }));
    const lists = await Promise.all(
      this.urls.map(async (base): Promise<Target[]> => {
        const url = linkUrl(base);
        const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
        const plain = [{ base, url, key: base }];
        if (isIP(host)) return plain;
        try {
          const addresses = await lookup(host);
          if (addresses.length === 0) return plain;
          return addresses.map(({ address, family }) => ({ base, url, address, family, key: `${base} ${address}` }));
        } catch (error) {
          // dialled by name all the same: the connect fails and says why, like any other target
          this.log.debug({ err: (error as Error).message, url: displayUrl(base) }, 'backend name did not resolve');
          return plain;
        }
      }),
    );
    return lists.flat();
  }

  private dial(target: Target): void {
    const options: ClientOptions & { lookup?: LookupFunction } = {
      headers: { Authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: this.options.connectTimeoutMs ?? 5000,
    };
    // connect to this address while the URL (Host header, TLS server name) keeps the name
    if (target.address) options.lookup = fixedLookup(target.address, target.family ?? (isIP(target.address) || 4));
    const ws = new WebSocket(target.url, options);
    this.ws = ws;
    const where = { url: displayUrl(target.base), ...(target.address ? { address: target.address } : {}) };
    let ended = false;
    let refused = false;
    let openedAt: number | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      const stable = openedAt !== undefined && Date.now() - openedAt >= STABLE_LINK_MS;
      this.onDisconnected(ws, target, refused, stable);
    };

    ws.on('open', () => {
      if (this.ws === ws) openedAt = Date.now();
      this.onOpen(ws, target);
    });
    ws.on('message', (data) => this.onData(String(data)));
    ws.on('unexpected-response', (_req, res) => {
      refused = res.statusCode === 401 || res.statusCode === 403;
      if (refused && !this.refusedLogged) {
        this.refusedLogged = true;
        this.log.error({ status: res.statusCode, ...where }, 'backend refused the agent token; retrying slowly');
      } else if (!refused) {
        this.log.warn({ status: res.statusCode, ...where }, 'backend did not accept the link upgrade');
      }
      res.resume();
      ws.terminate();
      end();
    });
    ws.on('error', (error) => {
      if (refused) return; // already said in one clear line
      const level = this.warned.has(target.key) ? 'debug' : 'warn';
      this.warned.add(target.key);
      this.log[level]({ err: error.message, ...where }, 'link error');
    });
    ws.on('close', (code, reason) => {
      if (this.connected && this.ws === ws)
        this.log.warn({ code, reason: reason.toString() || undefined, ...where }, 'link closed');
      end();
    });
  }

  private onOpen(ws: WebSocket, target: Target): void {
    if (this.ws !== ws) return;
    this.connected = true;
    this.connectedTo = target;
    this.warned.clear();
    this.refusedLogged = false;
    this.backoff.reset();
    this.log.info(
      { url: displayUrl(target.base), ...(target.address ? { address: target.address } : {}) },
      'link connected',
    );
    this.send({
      type: 'register',
      agentVersion: this.options.agentVersion ?? AGENT_VERSION,
      hostname: this.options.hostname ?? osHostname(),
      configVersion: this.configVersion,
    });
    this.outbox.setConnected(true);
    this.options.onConnectedChange?.(true);
    let alive = true;
    ws.on('pong', () => (alive = true));
    this.heartbeat = setInterval(() => {
      if (!alive) {
        this.log.warn({ url: displayUrl(target.base) }, 'link heartbeat lost; trying the next backend');
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, this.options.heartbeatMs ?? 5000);
  }

  /**
   * A link that was up closed, or a connect failed: the next target right away (after a short
   * pause); the backoff only once a whole round of targets failed (the slow lane when one of
   * them refused the token; an open link resets it). A link that closed within seconds of opening
   * counts as a failed connect of its round, so a backend that accepts and drops the link at once
   * is not dialled every 250 ms.
   */
  private onDisconnected(ws: WebSocket, target: Target, refused: boolean, stable: boolean): void {
    if (this.ws !== ws) return;
    clearInterval(this.heartbeat);
    if (this.connected) {
      this.connected = false;
      this.connectedTo = undefined;
      this.outbox.setConnected(false);
      this.options.onConnectedChange?.(false);
    }
    if (this.closing) return;
    if (refused) this.roundRefused = true;
    const pause = this.options.failoverPauseMs ?? 250;
    let delay: number;
    if (stable) {
      this.resumeAfter = target.key;
      this.round = [];
      this.roundIndex = 0;
      delay = pause;
    } else if (this.roundIndex < this.round.length) delay = pause;
    else {
      delay = this.roundRefused ? this.backoff.slow() : this.backoff.next();
      this.round = [];
      this.roundIndex = 0;
    }
    this.log.debug({ delayMs: delay }, 'link reconnect scheduled');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onData(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.log.warn({ bytes: text.length }, 'ignored a backend message that is not JSON');
      return;
    }
    const parsed = BackendToAgent.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.log.warn({ path: issue?.path.join('.'), issue: issue?.message }, 'ignored an invalid backend message');
      return;
    }
    this.handle(parsed.data);
    this.options.onMessage?.(parsed.data);
  }

  private handle(message: BackendToAgent): void {
    const { target } = this.options;
    switch (message.type) {
      case 'config': {
        if (message.config.version < this.configVersion) {
          this.log.info({ version: message.config.version, running: this.configVersion }, 'ignored an older config');
          return;
        }
        this.configVersion = message.config.version;
        this.lastConfig = message.config;
        const counts = target.apply(message.config.checks);
        this.log.info({ version: message.config.version, ...(counts as object) }, 'config applied');
        return;
      }
      case 'command': {
        const { command } = message;
        if (command === 'start') target.start();
        else if (command === 'stop') target.stop();
        else if (command === 'restart') {
          target.stop();
          target.start();
        } else {
          if (this.lastConfig) target.apply(this.lastConfig.checks);
          target.reload();
        }
        const state = target.running ? 'running' : 'stopped';
        this.log.info({ command, state }, 'command obeyed');
        this.send({ type: 'state', state });
        return;
      }
      case 'ack': {
        this.outbox.ack(message.batchId);
        if (this.nackOutage) {
          this.nackOutage = false;
          this.log.info({ batchId: message.batchId }, 'backend commits results again');
        }
        if (message.duplicates) this.options.onDuplicates?.(message.duplicates);
        if (message.rejected?.length) this.onRejected(message.batchId, message.rejected);
        return;
      }
      case 'nack': {
        const retryInMs = this.outbox.nack(message.batchId, message.retryAfterMs);
        this.options.onNack?.();
        const fields = { batchId: message.batchId, reason: message.reason, retryInMs };
        if (!this.nackOutage) {
          this.nackOutage = true;
          this.log.warn(fields, 'backend could not commit results; re-sending them on this link after a delay');
        } else this.log.debug(fields, 'batch nacked');
        return;
      }
      case 'error':
        this.log.error({ message: message.message }, 'backend reported an error');
    }
  }

  /** Rejected results went with their batch's ack: counted, and said at warn at most once a minute. */
  private onRejected(batchId: string, rejected: readonly RejectedResult[]): void {
    this.options.onRejected?.(rejected.length);
    const now = Date.now();
    if (now - this.rejectLoggedAt < REJECT_LOG_EVERY_MS) {
      this.rejectSuppressed += rejected.length;
      this.log.debug({ batchId, rejected: rejected.length, reason: rejected[0]!.reason }, 'backend rejected results');
      return;
    }
    const reasons = [...new Set(rejected.map((r) => r.reason))].slice(0, 3);
    this.log.warn(
      {
        batchId,
        rejected: rejected.length,
        reasons,
        firstId: rejected[0]!.id,
        ...(this.rejectSuppressed ? { alsoRejectedSinceLastLine: this.rejectSuppressed } : {}),
      },
      'backend rejected results for good: dropped, not sent again',
    );
    this.rejectLoggedAt = now;
    this.rejectSuppressed = 0;
  }

  private sendBatch(batch: Batch): void {
    this.send({ type: 'results', batchId: batch.batchId, results: batch.results, sentAt: new Date().toISOString() });
  }

  private send(message: AgentToBackend): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(message));
  }
}

/** A `lookup` for net.connect that answers one fixed address (both the single and the `all` form). */
function fixedLookup(address: string, family: number): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}
