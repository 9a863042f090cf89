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
