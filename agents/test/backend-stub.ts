import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { AGENT_LINK_PATH, AgentToBackend, type BackendToAgent } from '@nop/protocol';
import { pino, type Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A backend that speaks the agent link protocol, for tests: checks the bearer token, validates
 * every agent message with the protocol schemas, and acks batches unless told not to.
 */
export class BackendStub {
  readonly messages: AgentToBackend[] = [];
  readonly invalid: string[] = [];
  readonly authHeaders: (string | undefined)[] = [];
  autoAck = true;
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
      this.connections++;
      this.socket = socket;
      socket.on('message', (data) => this.receive(socket, String(data)));
    });
  }

  static async start(token = 'good-token', port = 0): Promise<BackendStub> {
    const holder: { stub?: BackendStub } = {};
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port,
      path: AGENT_LINK_PATH,
      verifyClient: (info, done) => {
        holder.stub!.authHeaders.push(info.req.headers.authorization);
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

  private receive(socket: WebSocket, text: string): void {
    const parsed = AgentToBackend.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.invalid.push(text);
    } else {
      const message = parsed.data;
      this.messages.push(message);
      if (message.type === 'register') this.onRegister(socket);
      if (message.type === 'results' && this.autoAck)
        socket.send(JSON.stringify({ type: 'ack', batchId: message.batchId, inserted: message.results.length }));
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
