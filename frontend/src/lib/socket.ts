import { STREAM_SUBPROTOCOL, STREAM_TOKEN_PREFIX, type StreamMessage } from '@nop/protocol';
import { backoffDelay } from './backoff.ts';
import { parseStreamFrame } from './streamFrame.ts';

/** Close code the backend uses for a bad or expired token (RFC 6455 "policy violation"). */
export const CLOSE_BAD_TOKEN = 1008;

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/** The subset of the browser WebSocket this client uses, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface StreamOptions {
  url: string;
  token: string;
  onMessage: (message: StreamMessage) => void;
  /** `opened` = the socket had opened before this drop (so data may have been missed) */
  onState: (state: StreamState, info: { retryInMs?: number; attempt: number; opened?: boolean }) => void;
  /** the server refused or ended the token (close reason: "session revoked", "token expired"): reconnecting would only repeat that */
  onAuthRejected: (reason: string) => void;
  createSocket?: SocketFactory;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * The live stream: one WebSocket to /ws/stream, reconnecting with capped, jittered backoff.
 * Browsers cannot set an Authorization header on a WebSocket, so the JWT rides in the
 * subprotocol list next to the protocol name (see protocol/src/api.ts).
 */
export class StreamClient {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = true;
  private readonly o: Required<StreamOptions>;

  constructor(options: StreamOptions) {
    this.o = {
      createSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close(1000, 'client closed');
    }
  }

  /** Skip the wait (the browser came back online, say). */
  reconnectNow(): void {
    if (this.stopped || this.socket) return;
    this.cancelTimer();
    this.open();
  }

  private open(): void {
    this.o.onState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    let opened = false;
    const socket = this.o.createSocket(this.o.url, [STREAM_SUBPROTOCOL, STREAM_TOKEN_PREFIX + this.o.token]);
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.o.onState('live', { attempt: 0 });
    };
    socket.onmessage = (ev) => {
      const message = parseStreamFrame(ev.data);
      if (message) this.o.onMessage(message);
    };
    socket.onerror = () => {
      // Always followed by onclose, which decides what to do.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (ev.code === CLOSE_BAD_TOKEN) {
        this.stopped = true;
        this.o.onAuthRejected(ev.reason);
        return;
      }
      const retryInMs = backoffDelay(this.attempt);
      this.attempt += 1;
      this.o.onState('reconnecting', { retryInMs, attempt: this.attempt, opened });
      this.timer = this.o.setTimer(() => {
        this.timer = null;
        if (!this.stopped) this.open();
      }, retryInMs);
    };
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
  }
}
