import { randomUUID } from 'node:crypto';
import type { CheckResult } from '@nop/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff } from './backoff.ts';
import { type Batch, Outbox } from './outbox.ts';

let seq = 0;
const result = (): CheckResult => ({
  id: randomUUID(),
  checkId: `c${seq++}`,
  type: 'tcp',
  target: '127.0.0.1:1',
  time: new Date().toISOString(),
  success: true,
  durationMs: 1,
  metrics: {},
});

function outbox(options: Partial<ConstructorParameters<typeof Outbox>[0]> = {}) {
  const sent: Batch[] = [];
  const box = new Outbox({ send: (b) => sent.push({ batchId: b.batchId, results: [...b.results] }), ...options });
  return { box, sent };
}

afterEach(() => vi.useRealTimers());

describe('Outbox', () => {
  it('seals a batch at maxBatch results and sends it while connected', () => {
    const { box, sent } = outbox({ maxBatch: 3 });
    box.setConnected(true);
    for (let i = 0; i < 7; i++) box.add(result());
    expect(sent.map((b) => b.results.length)).toEqual([3, 3]);
    expect(box.pending).toBe(7);
    box.seal();
    expect(sent.map((b) => b.results.length)).toEqual([3, 3, 1]);
    expect(new Set(sent.map((b) => b.batchId)).size).toBe(3);
  });

  it('flushes on the timer', () => {
    vi.useFakeTimers();
    const { box, sent } = outbox({ flushMs: 1000 });
    box.setConnected(true);
    box.start();
    box.add(result());
    vi.advanceTimersByTime(999);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    box.stop();
  });

  it('forgets a batch on ack and ignores unknown acks', () => {
    const { box, sent } = outbox({ maxBatch: 2 });
    box.setConnected(true);
    for (let i = 0; i < 4; i++) box.add(result());
    expect(box.ack(sent[0]!.batchId)).toBe(true);
    expect(box.pending).toBe(2);
    expect(box.ack(sent[0]!.batchId)).toBe(false);
    expect(box.ack(randomUUID())).toBe(false);
    expect(box.batches.map((b) => b.batchId)).toEqual([sent[1]!.batchId]);
  });

  it('keeps batches while disconnected and re-sends all unacked ones in order on connect', () => {
    const { box, sent } = outbox({ maxBatch: 2 });
    box.setConnected(true);
    for (let i = 0; i < 4; i++) box.add(result());
    box.ack(sent[0]!.batchId);
    const inFlight = sent[1]!;
    box.setConnected(false);
    for (let i = 0; i < 4; i++) box.add(result());
    expect(sent).toHaveLength(2);
    sent.length = 0;
    box.setConnected(true);
    expect(sent).toHaveLength(3);
    expect(sent[0]!.batchId).toBe(inFlight.batchId);
    expect(sent[0]!.results.map((r) => r.id)).toEqual(inFlight.results.map((r) => r.id));
  });

  it('bounds the buffer: the oldest results go first and are counted', () => {
    const drops: number[] = [];
    const { box, sent } = outbox({ maxBatch: 10, maxResults: 25, onDrop: (n) => drops.push(n) });
    const all = Array.from({ length: 40 }, result);
    for (const r of all) box.add(r);
    expect(box.pending).toBe(25);
    expect(box.dropped).toBe(15);
    expect(drops.reduce((a, b) => a + b, 0)).toBe(15);
    box.seal();
    box.setConnected(true);
    const kept = sent.flatMap((b) => b.results.map((r) => r.id));
    expect(kept).toEqual(all.slice(15).map((r) => r.id));
  });

  it('drain() resolves true once everything is acked, false on timeout', async () => {
    const { box, sent } = outbox();
    box.setConnected(true);
    box.add(result());
    const drained = box.drain(1000);
    expect(sent).toHaveLength(1);
    box.ack(sent[0]!.batchId);
    await expect(drained).resolves.toBe(true);
    box.add(result());
    await expect(box.drain(20)).resolves.toBe(false);
  });
});

describe('Outbox: nack and retry', () => {
  // jitter factor exactly 1: delays 500, 1000, 2000, … 30,000
  const steady = { minMs: 500, maxMs: 30_000, random: () => 0.5 };

  it('re-sends a nacked batch on the same connection after the delay; new batches wait and go with it', () => {
    vi.useFakeTimers();
    const { box, sent } = outbox({ maxBatch: 2, retry: steady });
    box.setConnected(true);
    box.add(result());
    box.add(result());
    const b1 = sent[0]!.batchId;
    expect(box.nack(b1, 100)).toBe(500); // the backoff's 0.5 s beats retryAfterMs
    expect(box.retryPending).toBe(true);
    box.add(result());
    box.add(result()); // sealed, but held while the retry is pending
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(499);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((b) => b.batchId)).toEqual([b1, b1, box.batches[1]!.batchId]);
    expect(sent[1]!.results.map((r) => r.id)).toEqual(sent[0]!.results.map((r) => r.id));
    expect(box.retryPending).toBe(false);
    expect(box.nacked).toBe(1);
  });

  it('honours a longer retryAfterMs, grows the backoff per failed retry up to 30 s, and an ack resets it', () => {
    vi.useFakeTimers();
    const { box, sent } = outbox({ maxBatch: 1, retry: steady });
    box.setConnected(true);
    box.add(result());
    const id = sent[0]!.batchId;
    expect(box.nack(id, 2000)).toBe(2000);
    const delays: number[] = [];
    for (let round = 0; round < 8; round++) {
      vi.advanceTimersByTime(30_000); // the retry goes out…
      delays.push(box.nack(id, 0)!); // …and is nacked again
    }
    // the first retry round used the backoff's first step (hidden by retryAfterMs); then it doubles
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(sent).toHaveLength(9);
    vi.advanceTimersByTime(30_000);
    expect(sent).toHaveLength(10);
    box.add(result()); // sent at once: no retry pending
    expect(sent).toHaveLength(11);
    expect(box.ack(sent[10]!.batchId)).toBe(true);
    expect(box.nack(id, 0)).toBe(500); // reset by the ack
  });

  it('several nacks of one round make one retry; batches still awaiting an answer are not sent twice', () => {
    vi.useFakeTimers();
    const { box, sent } = outbox({ maxBatch: 1, retry: steady });
    box.setConnected(true);
    for (let i = 0; i < 3; i++) box.add(result());
    const [b1, b2, b3] = sent.map((b) => b.batchId);
    expect(box.nack(b1!, 0)).toBe(500);
    expect(box.nack(b2!, 300)).toBe(500); // inside the pending retry: no new backoff step
    expect(box.nack(b2!, 800)).toBe(800); // a longer retryAfterMs pushes the retry back
    vi.advanceTimersByTime(800);
    // b3 got no answer yet: still on its way, so not repeated
    expect(sent.slice(3).map((b) => b.batchId)).toEqual([b1, b2]);
    expect(box.nack(b3!, 0)).toBe(1000);
    expect(box.nack('not-a-batch-of-ours', 0)).toBeUndefined();
  });

  it('a reconnect cancels the pending retry, resets the backoff and sends everything at once', () => {
    vi.useFakeTimers();
    const { box, sent } = outbox({ maxBatch: 1, retry: steady });
    box.setConnected(true);
    box.add(result());
    box.nack(sent[0]!.batchId, 0);
    box.nack(sent[0]!.batchId, 0);
    box.setConnected(false);
    box.add(result());
    expect(box.nack(box.batches[1]!.batchId, 0)).toBeUndefined(); // not connected: nothing to schedule
    box.setConnected(true);
    expect(box.retryPending).toBe(false);
    expect(sent.slice(1).map((b) => b.batchId)).toEqual(box.batches.map((b) => b.batchId));
    expect(box.nack(box.batches[0]!.batchId, 0)).toBe(500);
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(4); // one retry of the nacked batch only
  });

  it('forgets a batch for good when its ack comes (rejected results included): never sent again', () => {
    vi.useFakeTimers();
    const { box, sent } = outbox({ maxBatch: 2, retry: steady });
    box.setConnected(true);
    box.add(result());
    box.add(result());
    box.ack(sent[0]!.batchId);
    box.setConnected(false);
    box.setConnected(true);
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(1);
    expect(box.pending).toBe(0);
  });
});

describe('Outbox: batch size in bytes', () => {
  const big = (bytes: number): CheckResult => ({ ...result(), success: false, error: 'x'.repeat(bytes) });
  const wire = (b: Batch) =>
    Buffer.byteLength(JSON.stringify({ type: 'results', ...b, sentAt: new Date().toISOString() }));

  it('seals before a batch would pass 1 MiB, long before maxBatch', () => {
    const { box, sent } = outbox({ maxBatch: 200 });
    box.setConnected(true);
    const all = Array.from({ length: 25 }, () => big(100_000));
    for (const r of all) box.add(r);
    box.seal();
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const b of sent) expect(wire(b)).toBeLessThanOrEqual(1024 * 1024);
    expect(sent.slice(0, -1).every((b) => b.results.length === 10)).toBe(true);
    expect(sent.flatMap((b) => b.results.map((r) => r.id))).toEqual(all.map((r) => r.id));
  });

  it('sends a single result bigger than the limit alone, and small ones by count as before', () => {
    const { box, sent } = outbox({ maxBatch: 3, maxBatchBytes: 10_000 });
    box.setConnected(true);
    box.add(result());
    box.add(big(20_000));
    box.add(result());
    box.add(result());
    box.add(result());
    expect(sent.map((b) => b.results.length)).toEqual([1, 1, 3]);
    expect(wire(sent[0]!)).toBeLessThan(10_000);
  });
});

describe('Backoff', () => {
  it('grows exponentially from 0.5 s to a 30 s cap with jitter', () => {
    const low = new Backoff(500, 30_000, () => 0);
    const high = new Backoff(500, 30_000, () => 0.999);
    const lows = Array.from({ length: 10 }, () => low.next());
    const highs = Array.from({ length: 10 }, () => high.next());
    expect(lows[0]).toBe(500);
    expect(highs[0]).toBeGreaterThan(600);
    expect(lows[3]).toBe(3000);
    expect(highs.at(-1)).toBe(30_000);
    for (const d of [...lows, ...highs]) {
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(30_000);
    }
    low.reset();
    expect(low.next()).toBe(500);
    expect(low.slow()).toBeGreaterThanOrEqual(22_500);
  });
});
