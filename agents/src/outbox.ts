import { randomUUID } from 'node:crypto';
import type { CheckResult } from '@nop/protocol';
import { Backoff } from './backoff.ts';
import type { Spool } from './spool.ts';

/**
 * Results on their way to the backend: gathered into batches (sealed every `flushMs`, at
 * `maxBatch` results or before the batch's JSON would pass `maxBatchBytes`), each kept until the
 * backend acks its batchId. While disconnected the batches pile up, bounded to `maxResults`
 * (oldest dropped first, counted); on (re)connect every unacked batch is sent again, oldest first.
 * A nacked batch (the backend could not commit it) is kept and sent again on the same connection
 * after a delay that grows with each failed retry; meanwhile new batches wait and go out with the
 * retry. Result ids make a re-sent batch idempotent.
 */

export interface Batch {
  batchId: string;
  results: CheckResult[];
}

export interface OutboxOptions {
  /** called for each batch to put on the wire; only while connected */
  send: (batch: Batch) => void;
  maxBatch?: number;
  /** a batch is sealed before its JSON would pass this many bytes (1 MiB; a single bigger result goes alone) */
  maxBatchBytes?: number;
  maxResults?: number;
  flushMs?: number;
  /** told how many results were just dropped to respect maxResults or maxBytes */
  onDrop?: (count: number) => void;
  /** keeps every result on disk until its ack (journal, then batch files), and brings back an earlier run's */
  spool?: Spool;
  /** with a spool: the most bytes of unacked batches kept; the oldest batches go first */
  maxBytes?: number;
  /** delays before re-sending after a nack, ms: doubling from minMs to maxMs, jittered (500 .. 30,000) */
  retry?: { minMs?: number; maxMs?: number; random?: () => number };
}

/** The message around a batch's results ({"type":"results","batchId":…,"sentAt":…}), generously. */
const BATCH_OVERHEAD = 256;

export class Outbox {
  private current: CheckResult[] = [];
  /** the open batch's results serialized (journal lines; the batch file is made of them) */
  private currentLines: string[] = [];
  private currentBytes = BATCH_OVERHEAD;
  private readonly unacked: Batch[] = [];
  /** batches sent on this connection that got neither ack nor nack yet */
  private readonly awaiting = new Set<string>();
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private retryAt = 0;
  private readonly retryBackoff: Backoff;
  private connected = false;
  private total = 0;
  private readonly waiters = new Set<() => void>();
  readonly maxBatch: number;
  readonly maxBatchBytes: number;
  readonly maxResults: number;
  readonly flushMs: number;
  readonly maxBytes: number;
  private readonly bytes = new Map<string, number>();
  private totalBytes = 0;
  dropped = 0;
  /** nacks received for batches the outbox held */
  nacked = 0;
  /** batches found in the spool at start (an earlier run's unacked results, its open batch included) */
  restored = 0;
  /** lines of an earlier run's journal that could not be read (corrupt, or the torn last one) */
  restoreSkipped = 0;

  constructor(private readonly options: OutboxOptions) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxBatchBytes = options.maxBatchBytes ?? 1024 * 1024;
    this.maxResults = options.maxResults ?? 50_000;
    this.flushMs = options.flushMs ?? 1000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    // capped at 5 s: the backend paces retries itself (retryAfterMs), and a longer wait here only
    // delays the drain once it recovers (a 30 s cap left a 20 s outage's backlog waiting 11 s more)
    this.retryBackoff = new Backoff(options.retry?.minMs ?? 500, options.retry?.maxMs ?? 5_000, options.retry?.random);
    const spool = options.spool;
    if (spool) {
      const { batches, journal, corrupt, torn } = spool.load();
      for (const batch of batches) {
        this.unacked.push(batch);
        this.total += batch.results.length;
        this.track(batch.batchId, Buffer.byteLength(JSON.stringify(batch)));
      }
      // the open batch of the earlier run: sealed into batch files, then its journal goes
      const fromJournal = this.chunk(journal);
      for (const batch of fromJournal) {
        this.unacked.push(batch);
        this.total += batch.results.length;
        this.track(batch.batchId, spool.save(batch));
      }
      spool.clearJournal();
      this.restored = batches.length + fromJournal.length;
      this.restoreSkipped = corrupt + torn;
    }
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

  /** True while a re-send after a nack is scheduled (new batches wait for it). */
  get retryPending(): boolean {
    return this.retryTimer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.seal(), this.flushMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cancelRetry();
  }

  /** A clean stop: seals the open batch (to its batch file) and makes the spool durable. */
  close(): void {
    this.stop();
    this.seal();
    this.options.spool?.close();
  }

  /** Takes a result; with a spool it is on disk when this returns. */
  add(result: CheckResult): void {
    const line = JSON.stringify(result);
    const size = Buffer.byteLength(line) + 1;
    if (this.current.length > 0 && this.currentBytes + size > this.maxBatchBytes) this.seal();
    this.options.spool?.append(line);
    this.current.push(result);
    this.currentLines.push(line);
    this.currentBytes += size;
    this.total++;
    if (this.current.length >= this.maxBatch || this.currentBytes >= this.maxBatchBytes) this.seal();
    this.enforceBound();
  }

  /** Closes the batch being filled and sends it when connected (and no retry is pending). */
  seal(): void {
    if (this.current.length === 0) return;
    const batch: Batch = { batchId: randomUUID(), results: this.current };
    const lines = this.currentLines;
    this.current = [];
    this.currentLines = [];
    this.currentBytes = BATCH_OVERHEAD;
    this.unacked.push(batch);
    const spool = this.options.spool;
    if (spool) {
      this.track(batch.batchId, spool.save(batch, lines));
      spool.clearJournal();
    }
    this.enforceBytes();
    if (this.connected && !this.retryTimer && this.unacked.includes(batch)) this.transmit(batch);
  }

  /** The backend committed this batch: forget it. Unknown ids (dropped, already acked) are ignored. */
  ack(batchId: string): boolean {
    this.awaiting.delete(batchId);
    const index = this.unacked.findIndex((b) => b.batchId === batchId);
    if (index < 0) return false;
    const [batch] = this.unacked.splice(index, 1);
    this.total -= batch!.results.length;
    this.forgetBatch(batchId);
    this.retryBackoff.reset();
    // nothing held at all: release the journal (the spool directory is then empty)
    if (this.total === 0) this.options.spool?.close();
    this.notify();
    return true;
  }

  /**
   * The backend could not commit this batch: keep it, and send the unacked batches again on this
   * connection after max(retryAfterMs, the retry backoff). Nacks arriving while a retry is
   * pending only push it back to their retryAfterMs; the backoff grows once per retry round.
   * Returns the delay until the retry, or undefined for a batch the outbox does not hold.
   */
  nack(batchId: string, retryAfterMs: number): number | undefined {
    if (!this.unacked.some((b) => b.batchId === batchId)) return undefined;
    this.awaiting.delete(batchId);
    this.nacked++;
    if (!this.connected) return undefined;
    const now = Date.now();
    if (this.retryTimer) {
      if (now + retryAfterMs > this.retryAt) this.scheduleRetry(retryAfterMs);
      return this.retryAt - now;
    }
    this.scheduleRetry(Math.max(retryAfterMs, this.retryBackoff.next()));
    return this.retryAt - now;
  }

  /** Link state: on connect every unacked batch goes out again, oldest first. */
  setConnected(connected: boolean): void {
    this.connected = connected;
    this.awaiting.clear();
    this.cancelRetry();
    this.retryBackoff.reset();
    if (connected) for (const batch of this.unacked) this.transmit(batch);
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

  private transmit(batch: Batch): void {
    this.awaiting.add(batch.batchId);
    this.options.send(batch);
  }

  private scheduleRetry(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryAt = Date.now() + delayMs;
    this.retryTimer = setTimeout(() => this.retry(), delayMs);
    this.retryTimer.unref();
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The retry: every unacked batch not already on its way, oldest first, all at once. */
  private retry(): void {
    this.retryTimer = undefined;
    if (!this.connected) return;
    for (const batch of this.unacked) if (!this.awaiting.has(batch.batchId)) this.transmit(batch);
  }

  /** Results (an earlier run's journal) cut into batches the way add() would have cut them. */
  private chunk(results: CheckResult[]): Batch[] {
    const batches: Batch[] = [];
    let open: CheckResult[] = [];
    let bytes = BATCH_OVERHEAD;
    for (const result of results) {
      const size = Buffer.byteLength(JSON.stringify(result)) + 1;
      if (open.length > 0 && (open.length >= this.maxBatch || bytes + size > this.maxBatchBytes)) {
        batches.push({ batchId: randomUUID(), results: open });
        open = [];
        bytes = BATCH_OVERHEAD;
      }
      open.push(result);
      bytes += size;
    }
    if (open.length > 0) batches.push({ batchId: randomUUID(), results: open });
    return batches;
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
      if (!oldest) {
        for (const line of this.currentLines.splice(0, n)) this.currentBytes -= Buffer.byteLength(line) + 1;
      } else if (oldest.results.length === 0) {
        this.unacked.shift();
        this.awaiting.delete(oldest.batchId);
        this.forgetBatch(oldest.batchId);
      } else if (this.options.spool) this.track(oldest.batchId, this.options.spool.save(oldest));
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
      this.awaiting.delete(oldest.batchId);
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
