import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { CheckResult } from '@nop/protocol';
import { z } from 'zod';
import type { Batch } from './outbox.ts';

/**
 * Where results live between the moment the outbox takes them and their ack. The outbox calls it;
 * it knows nothing of links.
 */
export interface Spool {
  /** what an earlier run left: its sealed batches (oldest first) and the results of its open batch */
  load(): { batches: Batch[]; journal: CheckResult[]; corrupt: number; torn: number };
  /**
   * Stores (or rewrites) a sealed batch; returns its size in bytes. `lines` are its results
   * already serialized (one JSON text each, in order), so they are not serialized again.
   */
  save(batch: Batch, lines?: readonly string[]): number;
  remove(batchId: string): void;
  /** one result of the open batch, serialized (no newline): on disk before this returns */
  append(line: string): void;
  /** the open batch was saved as a batch: its journal lines are no longer needed */
  clearJournal(): void;
  /** makes what was appended durable and releases the journal (removed when empty); append reopens it */
  close(): void;
}

/** When the journal is flushed to stable storage (`NOP_AGENT_SPOOL_FSYNC`). */
export const FSYNC_POLICIES = ['interval', 'always', 'never'] as const;
export type FsyncPolicy = (typeof FSYNC_POLICIES)[number];

/** The open batch, one result per line, appended as each result is made. */
export const JOURNAL_FILE = 'journal.jsonl';
/** `interval`: at most this long between a journal write and its fdatasync */
export const JOURNAL_SYNC_MS = 100;

const SpooledBatch = z.object({ batchId: z.uuid(), results: z.array(CheckResult) });

export interface DiskSpoolOptions {
  /**
   * `interval` (default): the journal is fdatasync'ed at most 100 ms after a write (a power cut
   * loses at most the last 100 ms of results) and each batch file before it replaces its journal
   * lines; `always`: after every journal write; `never`: left to the kernel (a killed process
   * still loses nothing, a power cut may).
   */
  fsync?: FsyncPolicy;
  /** told when the disk refused a write (the results stay in memory); the spool keeps trying */
  onError?: (error: Error, what: string) => void;
}

/**
 * One JSON file per sealed, unacked batch, named `<sequence>-<batchId>.json` so a directory
 * listing is the send order. Each write goes to a temporary file first and is renamed into place:
 * a crash leaves either the old file or the new one, never half a batch. The batch being filled
 * is the journal (`journal.jsonl`): each result is appended as one line with one write() on a
 * file descriptor kept open, so a killed process loses none of them; when the batch is sealed and
 * saved the journal is truncated. At load, the journal's lines become results to send again
 * (a torn last line — a write cut by a power loss — is ignored; a result already in a batch file
 * is not taken twice).
 */
export class DiskSpool implements Spool {
  readonly fsync: FsyncPolicy;
  private readonly files = new Map<string, string>();
  private sequence = 0;
  private readonly journalPath: string;
  private fd?: number;
  /** the journal file exists (opened by us, or left by an earlier run) */
  private journalOnDisk = false;
  /** bytes in the journal (appended since its last truncation, or found at load) */
  private journalBytes = 0;
  private unsynced = false;
  private syncTimer?: NodeJS.Timeout;
  private syncing = false;
  /** fds to close once the fdatasync in flight on them returns */
  private readonly closeAfterSync = new Set<number>();
  private dirDirty = false;
  private failing = false;

  constructor(
    readonly dir: string,
    private readonly options: DiskSpoolOptions = {},
  ) {
    this.fsync = options.fsync ?? 'interval';
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.journalPath = path.join(dir, JOURNAL_FILE);
  }

  load(): { batches: Batch[]; journal: CheckResult[]; corrupt: number; torn: number } {
    const batches: Batch[] = [];
    let corrupt = 0;
    const names = readdirSync(this.dir).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name.endsWith('.tmp')) {
        rmSync(file, { force: true }); // a write that never finished
        continue;
      }
      const match = /^(\d+)-([0-9a-f-]{36})\.json$/.exec(name);
      if (!match) continue;
      this.sequence = Math.max(this.sequence, Number(match[1]));
      try {
        const batch = SpooledBatch.parse(JSON.parse(readFileSync(file, 'utf8')));
        this.files.set(batch.batchId, file);
        batches.push(batch);
      } catch {
        corrupt++;
        rmSync(file, { force: true });
      }
    }
    const journal = this.readJournal(new Set(batches.flatMap((b) => b.results.map((r) => r.id))));
    return { batches, journal: journal.results, corrupt: corrupt + journal.corrupt, torn: journal.torn };
  }

  save(batch: Batch, lines?: readonly string[]): number {
    let file = this.files.get(batch.batchId);
    if (!file) {
      file = path.join(this.dir, `${String(++this.sequence).padStart(12, '0')}-${batch.batchId}.json`);
      this.files.set(batch.batchId, file);
    }
    const text = lines
      ? `{"batchId":${JSON.stringify(batch.batchId)},"results":[${lines.join(',')}]}`
      : JSON.stringify(batch);
    const tmp = `${file}.tmp`;
    if (this.fsync === 'never') writeFileSync(tmp, text, { mode: 0o600 });
    else {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeFileSync(fd, text);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    renameSync(tmp, file);
    this.dirDirty = true;
    return Buffer.byteLength(text);
  }

  remove(batchId: string): void {
    const file = this.files.get(batchId);
    if (!file) return;
    this.files.delete(batchId);
    rmSync(file, { force: true });
  }

  append(line: string): void {
    const text = `${line}\n`;
    try {
      if (this.fd === undefined) {
        this.fd = openSync(this.journalPath, 'a', 0o600);
        this.journalOnDisk = true;
      }
      this.journalBytes += writeSync(this.fd, text);
      if (this.fsync === 'always') fdatasyncSync(this.fd);
      this.failing = false;
    } catch (error) {
      this.fail(error as Error, 'journal write');
      return;
    }
    if (this.fsync === 'interval') {
      this.unsynced = true;
      this.syncTimer ??= setTimeout(() => this.syncJournal(), JOURNAL_SYNC_MS).unref();
    }
  }

  clearJournal(): void {
    if (this.journalBytes === 0 && (this.fd !== undefined || !this.journalOnDisk)) return;
    try {
      // the batch file that now holds these results must be durable before they leave the journal
      if (this.fsync !== 'never' && this.dirDirty) this.syncDir();
      if (this.fd !== undefined) ftruncateSync(this.fd, 0);
      else {
        rmSync(this.journalPath, { force: true }); // an earlier run's journal, now in batch files
        this.journalOnDisk = false;
      }
      this.journalBytes = 0;
      this.unsynced = false;
    } catch (error) {
      this.fail(error as Error, 'journal truncate');
    }
  }

  close(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (fd !== undefined && this.fsync !== 'never' && this.journalBytes > 0) fdatasyncSync(fd);
      if (this.fsync !== 'never' && this.dirDirty) this.syncDir();
      if (this.journalBytes === 0 && this.journalOnDisk) {
        rmSync(this.journalPath, { force: true });
        this.journalOnDisk = false;
      }
    } catch (error) {
      this.fail(error as Error, 'journal close');
    }
    this.unsynced = false;
    if (fd === undefined) return;
    if (this.syncing) this.closeAfterSync.add(fd);
    else closeSync(fd);
  }

  /** `interval`: one fdatasync in the thread pool for every write since the last one. */
  private syncJournal(): void {
    this.syncTimer = undefined;
    const fd = this.fd;
    if (!this.unsynced || fd === undefined || this.syncing) return;
    this.unsynced = false;
    this.syncing = true;
    fdatasync(fd, (error) => {
      this.syncing = false;
      if (error) this.fail(error, 'journal fdatasync');
      if (this.closeAfterSync.delete(fd)) closeSync(fd);
      if (this.unsynced && this.fd !== undefined)
        this.syncTimer ??= setTimeout(() => this.syncJournal(), JOURNAL_SYNC_MS).unref();
    });
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.dirDirty = false;
  }

  private readJournal(known: Set<string>): { results: CheckResult[]; corrupt: number; torn: number } {
    let text: string;
    try {
      text = readFileSync(this.journalPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { results: [], corrupt: 0, torn: 0 };
      throw error;
    }
    this.journalOnDisk = true;
    this.journalBytes = Buffer.byteLength(text);
    const lines = text.split('\n');
    const last = lines.pop(); // '' after a complete last line; else a write that was cut short
    const results: CheckResult[] = [];
    let corrupt = 0;
    for (const line of lines) {
      if (!line) continue;
      try {
        const result = CheckResult.parse(JSON.parse(line));
        if (known.has(result.id)) continue; // sealed into a batch file just before the crash
        known.add(result.id);
        results.push(result);
      } catch {
        corrupt++;
      }
    }
    return { results, corrupt, torn: last ? 1 : 0 };
  }

  private fail(error: Error, what: string): void {
    if (!this.failing) this.options.onError?.(error, what);
    this.failing = true;
  }
}
