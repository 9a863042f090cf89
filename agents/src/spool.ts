import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CheckResult } from '@nop/protocol';
import { z } from 'zod';
import type { Batch } from './outbox.ts';

/** Where unacked batches live between seal and ack. The outbox calls it; it knows nothing of links. */
export interface Spool {
  /** batches left by an earlier run, oldest first */
  load(): { batches: Batch[]; corrupt: number };
  /** stores (or rewrites) a batch; returns its size in bytes */
  save(batch: Batch): number;
  remove(batchId: string): void;
}

const SpooledBatch = z.object({ batchId: z.uuid(), results: z.array(CheckResult) });

/**
 * One JSON file per unacked batch, named `<sequence>-<batchId>.json` so a directory listing is
 * the send order. Each write goes to a temporary file first and is renamed into place: a crash
 * leaves either the old file or the new one, never half a batch.
 */
export class DiskSpool implements Spool {
  private readonly files = new Map<string, string>();
  private sequence = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  load(): { batches: Batch[]; corrupt: number } {
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
    return { batches, corrupt };
  }

  save(batch: Batch): number {
    let file = this.files.get(batch.batchId);
    if (!file) {
      file = path.join(this.dir, `${String(++this.sequence).padStart(12, '0')}-${batch.batchId}.json`);
      this.files.set(batch.batchId, file);
    }
    const text = JSON.stringify(batch);
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    return Buffer.byteLength(text);
  }

  remove(batchId: string): void {
    const file = this.files.get(batchId);
    if (!file) return;
    this.files.delete(batchId);
    rmSync(file, { force: true });
  }
}
