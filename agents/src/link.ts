import { hostname as osHostname } from 'node:os';
import { AGENT_LINK_PATH, type AgentConfig, type AgentToBackend, BackendToAgent, CheckResult } from '@nop/protocol';
import WebSocket from 'ws';
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
  backendUrl: string;
  token: string;
  target: LinkTarget;
  log?: Logger;
  hostname?: string;
  agentVersion?: string;
  /** reconnect delays, ms (defaults 500 .. 30,000) */
  backoff?: { minMs?: number; maxMs?: number };
  heartbeatMs?: number;
  outbox?: Omit<OutboxOptions, 'send'>;
  onConnectedChange?: (connected: boolean) => void;
  /** test hook: each message received, after validation */
  onMessage?: (message: BackendToAgent) => void;
}

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
  private readonly url: string;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private closing = false;
  private refusedLogged = false;
  private failures = 0;
  private lastConfig?: AgentConfig;
  connected = false;
  configVersion = 0;

  constructor(private readonly options: LinkOptions) {
    this.log = (options.log ?? silentLogger).child({ component: 'link' });
    this.url = linkUrl(options.backendUrl);
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
    this.outbox.stop();
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

  private connect(): void {
    if (this.closing) return;
    const ws = new WebSocket(this.url, {
      headers: { Authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: 10_000,
    });
    this.ws = ws;
    let ended = false;
    let refused = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.onDisconnected(ws, refused);
    };

    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data) => this.onData(String(data)));
    ws.on('unexpected-response', (_req, res) => {
      refused = res.statusCode === 401 || res.statusCode === 403;
      if (refused && !this.refusedLogged) {
        this.refusedLogged = true;
        this.log.error({ status: res.statusCode, url: this.url }, 'backend refused the agent token; retrying slowly');
      } else if (!refused) {
        this.log.warn({ status: res.statusCode, url: this.url }, 'backend did not accept the link upgrade');
      }
      res.resume();
      ws.terminate();
      end();
    });
    ws.on('error', (error) => {
      if (refused) return; // already said in one clear line
      this.failures++;
      const level = this.failures === 1 ? 'warn' : 'debug';
      this.log[level]({ err: error.message, url: this.url }, 'link error');
    });
    ws.on('close', (code, reason) => {
      if (this.connected && this.ws === ws)
        this.log.warn({ code, reason: reason.toString() || undefined }, 'link closed');
      end();
    });
  }

  private onOpen(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.connected = true;
    this.failures = 0;
    this.refusedLogged = false;
    this.backoff.reset();
    this.log.info({ url: this.url }, 'link connected');
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
        this.log.warn('link heartbeat lost; reconnecting');
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, this.options.heartbeatMs ?? 30_000);
  }

  private onDisconnected(ws: WebSocket, refused: boolean): void {
    if (this.ws !== ws) return;
    clearInterval(this.heartbeat);
    if (this.connected) {
      this.connected = false;
      this.outbox.setConnected(false);
      this.options.onConnectedChange?.(false);
    }
    if (this.closing) return;
    const delay = refused ? this.backoff.slow() : this.backoff.next();
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
      case 'ack':
        this.outbox.ack(message.batchId);
        return;
      case 'error':
        this.log.error({ message: message.message }, 'backend reported an error');
    }
  }

  private sendBatch(batch: Batch): void {
    this.send({ type: 'results', batchId: batch.batchId, results: batch.results });
  }

  private send(message: AgentToBackend): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(message));
  }
}
