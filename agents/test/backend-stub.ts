import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { AGENT_LINK_PATH, AgentToBackend, type BackendToAgent } from '@nop/protocol';
import { pino, type Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';

/** A result batch as it arrived: on which connection (1, 2, …) and when. */
export interface Arrival {
  batchId: string;
  ids: string[];
  sentAt?: string;
  connection: number;
  at: number;
}

/**
 * A backend that speaks the agent link protocol, for tests: checks the bearer token, validates
 * every agent message with the protocol schemas, and acks batches unless told not to (or answers
 * them as `respond` says).
 */
export class BackendStub {
  readonly messages: AgentToBackend[] = [];
  readonly invalid: string[] = [];
  readonly authHeaders: (string | undefined)[] = [];
  /** the Host header of each link upgrade */
  readonly hosts: (string | undefined)[] = [];
  readonly arrivals: Arrival[] = [];
  autoAck = true;
  /** the answer to a result batch (instead of autoAck's ack); undefined: no answer */
  respond?: (message: Extract<AgentToBackend, { type: 'results' }>) => BackendToAgent | undefined;
  /** sent right after each register */
  onRegister: (socket: WebSocket) => void = () => undefined;
  socket?: WebSocket;
  connections = 0;
  private readonly wss: WebSocketServer;
  private waiters: (() => void)[] = [];

  private constructor(
    wss: WebSocketServer,
    readonly token: string,
  ) {
    this.wss = wss;
    wss.on('connection', (socket) => {
      const connection = ++this.connections;
      this.socket = socket;
      socket.on('message', (data) => this.receive(socket, String(data), connection));
    });
  }

  /** `autoPong: false`: pings go unanswered, like a backend whose host vanished */
  static async start(token = 'good-token', port = 0, options: { autoPong?: boolean } = {}): Promise<BackendStub> {
    const holder: { stub?: BackendStub } = {};
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port,
      path: AGENT_LINK_PATH,
      autoPong: options.autoPong ?? true,
      verifyClient: (info, done) => {
        holder.stub!.authHeaders.push(info.req.headers.authorization);
        holder.stub!.hosts.push(info.req.headers.host);
        if (info.req.headers.authorization === `Bearer ${holder.stub!.token}`) done(true);
        else done(false, 401, 'Unauthorized');
      },
    });
    const stub = new BackendStub(wss, token);
    holder.stub = stub;
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    return stub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  of<T extends AgentToBackend['type']>(type: T): Extract<AgentToBackend, { type: T }>[] {
    return this.messages.filter((m): m is Extract<AgentToBackend, { type: T }> => m.type === type);
  }

  send(message: BackendToAgent | string): void {
    this.socket?.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits until `predicate` holds (re-checked on every message), or fails after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Cuts the current connection abruptly (no close frame), like a crashed backend. */
  drop(): void {
    this.socket?.terminate();
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
  }

  /** Every result id that arrived, in arrival order (re-sends included). */
  get resultIds(): string[] {
    return this.arrivals.flatMap((a) => a.ids);
  }

  private receive(socket: WebSocket, text: string, connection: number): void {
    const parsed = AgentToBackend.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.invalid.push(text);
    } else {
      const message = parsed.data;
      this.messages.push(message);
      if (message.type === 'register') this.onRegister(socket);
      if (message.type === 'results') {
        this.arrivals.push({
          batchId: message.batchId,
          ids: message.results.map((r) => r.id),
          sentAt: message.sentAt,
          connection,
          at: Date.now(),
        });
        const answer = this.respond
          ? this.respond(message)
          : this.autoAck
            ? { type: 'ack' as const, batchId: message.batchId, inserted: message.results.length }
            : undefined;
        if (answer) socket.send(JSON.stringify(answer));
      }
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** A pino logger whose lines land in an array (to assert on what the agent logs). */
export function captureLogger(): { log: Logger; lines: { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}
