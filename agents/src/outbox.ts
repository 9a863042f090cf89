import { randomUUID } from 'node:crypto';
import type { CheckResult } from '@nop/protocol';
import type { Spool } from './spool.ts';

/**
 * Results on their way to the backend: gathered into batches (sealed every `flushMs` or at
 * `maxBatch` results), each kept until the backend acks its batchId. While disconnected the
 * batches pile up, bounded to `maxResults` (oldest dropped first, counted); on (re)connect every
 * unacked batch is sent again, oldest first. Result ids make a re-sent batch idempotent.
 */

export interface Batch {
  batchId: string;
  results: CheckResult[];
}

export interface OutboxOptions {
  /** called for each batch to put on the wire; only while connected */
  send: (batch: Batch) => void;
  maxBatch?: number;
  maxResults?: number;
  flushMs?: number;
  /** told how many results were just dropped to respect maxResults or maxBytes */
  onDrop?: (count: number) => void;
  /** keeps every sealed, unacked batch on disk until its ack, and brings back an earlier run's */
  spool?: Spool;
  /** with a spool: the most bytes of unacked batches kept; the oldest batches go first */
  maxBytes?: number;
}

export class Outbox {
  private current: CheckResult[] = [];
  private readonly unacked: Batch[] = [];
  private timer?: NodeJS.Timeout;
  private connected = false;
  private total = 0;
  private readonly waiters = new Set<() => void>();
  readonly maxBatch: number;
  readonly maxResults: number;
  readonly flushMs: number;
  readonly maxBytes: number;
  private readonly bytes = new Map<string, number>();
  private totalBytes = 0;
  dropped = 0;
  /** batches found in the spool at start (an earlier run's unacked results) */
  restored = 0;

  constructor(private readonly options: OutboxOptions) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxResults = options.maxResults ?? 50_000;
    this.flushMs = options.flushMs ?? 1000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const { batches } = options.spool?.load() ?? { batches: [] };
    for (const batch of batches) {
      this.unacked.push(batch);
      this.total += batch.results.length;
      this.track(batch.batchId, Buffer.byteLength(JSON.stringify(batch)));
    }
    this.restored = batches.length;
    this.enforceBound();
    this.enforceBytes();
  }

  /** Bytes of unacked batches on disk (0 without a spool). */
  get spooledBytes(): number {
    return this.totalBytes;
  }

  /** Results not yet acked (sealed batches plus the batch being filled). */
  get pending(): number {
    return this.total;
  }

  get batches(): readonly Batch[] {
    return this.unacked;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.seal(), this.flushMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  add(result: CheckResult): void {
    this.current.push(result);
    this.total++;
    if (this.current.length >= this.maxBatch) this.seal();
    this.enforceBound();
  }

  /** Closes the batch being filled and sends it when connected. */
  seal(): void {
    if (this.current.length === 0) return;
    const batch: Batch = { batchId: randomUUID(), results: this.current };
    this.current = [];
    this.unacked.push(batch);
    if (this.options.spool) this.track(batch.batchId, this.options.spool.save(batch));
    this.enforceBytes();
    if (this.connected && this.unacked.includes(batch)) this.options.send(batch);
  }

  /** The backend committed this batch: forget it. Unknown ids (dropped, already acked) are ignored. */
  ack(batchId: string): boolean {
    const index = this.unacked.findIndex((b) => b.batchId === batchId);
    if (index < 0) return false;
    const [batch] = this.unacked.splice(index, 1);
    this.total -= batch!.results.length;
    this.forgetBatch(batchId);
    this.notify();
    return true;
  }

  /** Link state: on connect every unacked batch goes out again, oldest first. */
  setConnected(connected: boolean): void {
    this.connected = connected;
    if (connected) for (const batch of this.unacked) this.options.send(batch);
  }

  /** Seals, then waits until everything is acked or `timeoutMs` passes; true when drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.seal();
    if (this.total === 0) return true;
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(drained);
      };
      const check = () => this.total === 0 && done(true);
      const timer = setTimeout(() => done(this.total === 0), timeoutMs);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private enforceBound(): void {
    let excess = this.total - this.maxResults;
    if (excess <= 0) return;
    let dropped = 0;
    while (excess > 0) {
      const oldest = this.unacked[0];
      const from = oldest ? oldest.results : this.current;
      const n = Math.min(excess, from.length);
      if (n === 0) break;
      from.splice(0, n);
      if (oldest && oldest.results.length === 0) {
        this.unacked.shift();
        this.forgetBatch(oldest.batchId);
      } else if (oldest && this.options.spool) this.track(oldest.batchId, this.options.spool.save(oldest));
      excess -= n;
      dropped += n;
      this.total -= n;
    }
    this.dropped += dropped;
    this.options.onDrop?.(dropped);
    this.notify();
  }

  /** Keeps the spool within maxBytes by dropping whole batches, oldest first (the newest stays). */
  private enforceBytes(): void {
    let dropped = 0;
    while (this.totalBytes > this.maxBytes && this.unacked.length > 1) {
      const oldest = this.unacked.shift()!;
      this.forgetBatch(oldest.batchId);
      this.total -= oldest.results.length;
      dropped += oldest.results.length;
    }
    if (dropped === 0) return;
    this.dropped += dropped;
    this.options.onDrop?.(dropped);
    this.notify();
  }

  private track(batchId: string, size: number): void {
    this.totalBytes += size - (this.bytes.get(batchId) ?? 0);
    this.bytes.set(batchId, size);
  }

  private forgetBatch(batchId: string): void {
    this.totalBytes -= this.bytes.get(batchId) ?? 0;
    this.bytes.delete(batchId);
    this.options.spool?.remove(batchId);
  }
}
