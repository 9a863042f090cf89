import { STREAM_SUBPROTOCOL, STREAM_TOKEN_PREFIX, type StreamMessage } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { CLOSE_BAD_TOKEN, StreamClient, type SocketLike, type StreamState } from './socket.ts';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closedWith: number | undefined;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  close(code?: number) {
    this.closedWith = code;
  }
  open() {
    this.onopen?.({});
  }
  send(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006, reason = '') {
    this.onclose?.({ code, reason });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const states: Array<[StreamState, { retryInMs?: number; opened?: boolean }]> = [];
  const messages: StreamMessage[] = [];
  const rejected: string[] = [];
  const client = new StreamClient({
    url: 'ws://host/ws/stream',
    token: 'jwt123',
    onMessage: (m) => messages.push(m),
    onState: (s, info) => states.push([s, info]),
    onAuthRejected: (reason) => rejected.push(reason),
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
  });
  return { client, sockets, timers, states, messages, rejected: () => rejected.length, rejectedReasons: rejected };
}

describe('StreamClient', () => {
  it('sends the token as a subprotocol and reports live on open', () => {
    const h = harness();
    h.client.start();
    expect(h.sockets[0]!.protocols).toEqual([STREAM_SUBPROTOCOL, `${STREAM_TOKEN_PREFIX}jwt123`]);
    h.sockets[0]!.open();
    expect(h.states.map(([s]) => s)).toEqual(['connecting', 'live']);
  });

  it('passes on valid frames only', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.open();
    h.sockets[0]!.send({ type: 'hello', user: 'u' });
    h.sockets[0]!.send('{broken');
    expect(h.messages).toEqual([{ type: 'hello', user: 'u' }]);
  });

  it('reconnects after a drop with growing delays, and resets them after a successful open', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.drop();
    h.timers[0]!.fn();
    h.sockets[1]!.drop();
    const [first, second] = [h.timers[0]!.ms, h.timers[1]!.ms];
    expect(first).toBeGreaterThanOrEqual(250);
    expect(first).toBeLessThanOrEqual(500);
    expect(second).toBeGreaterThanOrEqual(500);
    expect(second).toBeLessThanOrEqual(1000);
    expect(h.states.filter(([s]) => s === 'reconnecting').length).toBeGreaterThan(0);

    h.timers[1]!.fn();
    h.sockets[2]!.open();
    h.sockets[2]!.drop();
    expect(h.timers[2]!.ms).toBeLessThanOrEqual(500);
    // the drop after a successful open says so, so the app knows to refetch what it missed
    expect(h.states[h.states.length - 1]).toEqual(['reconnecting', expect.objectContaining({ opened: true })]);
  });

  it('stops and reports on close code 1008 (bad token) instead of retrying', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.drop(CLOSE_BAD_TOKEN);
    expect(h.rejected()).toBe(1);
    expect(h.timers).toHaveLength(0);
  });

  it('passes the close reason on when the server ends a live session (revoked, expired)', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.open();
    h.sockets[0]!.drop(CLOSE_BAD_TOKEN, 'session revoked');
    expect(h.rejectedReasons).toEqual(['session revoked']);
    expect(h.timers).toHaveLength(0);
  });

  it('stop() closes the socket and cancels a pending retry', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.drop();
    h.client.stop();
    expect(h.timers[0]!.cleared).toBe(true);

    const h2 = harness();
    h2.client.start();
    h2.sockets[0]!.open();
    h2.client.stop();
    expect(h2.sockets[0]!.closedWith).toBe(1000);
    expect(h2.timers).toHaveLength(0);
  });
});
