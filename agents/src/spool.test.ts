import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { Outbox } from './outbox.ts';
import { DiskSpool, FSYNC_POLICIES, JOURNAL_FILE } from './spool.ts';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'nop-spool-'));
const batchFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.json'));
const journalLines = (dir: string) =>
  existsSync(path.join(dir, JOURNAL_FILE))
    ? readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean)
    : [];
const result = (): CheckResult => ({
  id: randomUUID(),
  checkId: 'c',
  type: 'tcp',
  target: '127.0.0.1:1',
  time: new Date().toISOString(),
  success: false,
  durationMs: null,
  error: 'connection refused',
  metrics: {},
});

describe('DiskSpool', () => {
  it('keeps batches in send order across instances and forgets acked ones', () => {
    const dir = tempDir();
    const spool = new DiskSpool(dir);
    const batches = [1, 2, 3].map(() => ({ batchId: randomUUID(), results: [result()] }));
    for (const b of batches) spool.save(b);
    spool.remove(batches[1]!.batchId);
    const reopened = new DiskSpool(dir).load();
    expect(reopened.batches.map((b) => b.batchId)).toEqual([batches[0]!.batchId, batches[2]!.batchId]);
    expect(reopened.corrupt).toBe(0);
  });

  it('drops unfinished writes and corrupt files instead of sending garbage', () => {
    const dir = tempDir();
    new DiskSpool(dir).save({ batchId: randomUUID(), results: [result()] });
    writeFileSync(path.join(dir, `000000000009-${randomUUID()}.json`), '{"batchId": "x", "res');
    writeFileSync(path.join(dir, `000000000010-${randomUUID()}.json.tmp`), '{');
    const { batches, corrupt } = new DiskSpool(dir).load();
    expect(batches).toHaveLength(1);
    expect(corrupt).toBe(1);
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('Outbox with a spool', () => {
  it('brings back an earlier run’s unacked batches and sends them first on connect', () => {
    const dir = tempDir();
    const first = new Outbox({ send: () => {}, spool: new DiskSpool(dir) });
    first.add(result());
    first.add(result());
    first.seal();
    first.add(result());
    first.seal();

    const sent: string[] = [];
    const second = new Outbox({ send: (b) => sent.push(b.batchId), spool: new DiskSpool(dir) });
    expect(second.restored).toBe(2);
    expect(second.pending).toBe(3);
    second.setConnected(true);
    expect(sent).toEqual(first.batches.map((b) => b.batchId));
    for (const id of sent) second.ack(id);
    expect(readdirSync(dir)).toEqual([]);
    expect(second.spooledBytes).toBe(0);
  });

  it('stays within maxBytes by dropping the oldest batches, counting their results', () => {
    const dir = tempDir();
    const drops: number[] = [];
    const outbox = new Outbox({
      send: () => {},
      spool: new DiskSpool(dir),
      maxBytes: 2048,
      onDrop: (n) => drops.push(n),
    });
    for (let i = 0; i < 10; i++) {
      outbox.add(result());
      outbox.add(result());
      outbox.seal();
    }
    expect(outbox.spooledBytes).toBeLessThanOrEqual(2048);
    expect(outbox.dropped).toBe(drops.reduce((a, b) => a + b, 0));
    expect(outbox.dropped + outbox.pending).toBe(20);
    expect(batchFiles(dir)).toHaveLength(outbox.batches.length);
    // the newest batch is the one kept
    expect(new DiskSpool(dir).load().batches.at(-1)!.batchId).toBe(outbox.batches.at(-1)!.batchId);
  });
});

describe('the journal: every result on disk as the outbox takes it', () => {
  it('a killed process loses nothing add() returned for: the open batch comes back, each result once', () => {
    const dir = tempDir();
    const made: CheckResult[] = [];
    // the "killed" run: never sealed by its timer, never closed
    const killed = new Outbox({ send: () => {}, spool: new DiskSpool(dir), maxBatch: 3 });
    for (let i = 0; i < 7; i++) {
      const r = result();
      killed.add(r);
      made.push(r);
      // on disk when add() returns: in a batch file or in the journal
      const onDisk = readdirSync(dir).map((name) => readFileSync(path.join(dir, name), 'utf8'));
      expect(onDisk.join('\n')).toContain(r.id);
    }
    expect(batchFiles(dir)).toHaveLength(2);
    expect(journalLines(dir)).toHaveLength(1);

    const sent: string[] = [];
    const next = new Outbox({ send: (b) => sent.push(...b.results.map((r) => r.id)), spool: new DiskSpool(dir) });
    expect(next.restored).toBe(3);
    expect(next.pending).toBe(7);
    expect(next.restoreSkipped).toBe(0);
    // the journal's results became a batch file of their own and the journal went away
    expect(readdirSync(dir).sort()).toEqual(batchFiles(dir).sort());
    expect(batchFiles(dir)).toHaveLength(3);
    next.setConnected(true);
    expect(sent).toEqual(made.map((r) => r.id));

    // and once more (a second crash before anything was acked): still each result once
    const again = new Outbox({ send: () => {}, spool: new DiskSpool(dir) });
    expect(again.batches.flatMap((b) => b.results.map((r) => r.id))).toEqual(made.map((r) => r.id));
    for (const b of [...again.batches]) again.ack(b.batchId);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('ignores a torn last line, skips a corrupt one, and does not take a result twice', () => {
    const dir = tempDir();
    const spool = new DiskSpool(dir);
    const sealed = [result(), result()];
    const open = [result(), result()];
    // a crash between writing the batch file and emptying the journal: its results are in both
    for (const r of [...sealed, ...open]) spool.append(JSON.stringify(r));
    spool.save({ batchId: randomUUID(), results: sealed });
    spool.append('{"id": "not a result"}');
    const torn = JSON.stringify(result());
    writeFileSync(path.join(dir, JOURNAL_FILE), torn.slice(0, 40), { flag: 'a' }); // a write cut short

    const loaded = new DiskSpool(dir).load();
    expect(loaded.batches.flatMap((b) => b.results.map((r) => r.id))).toEqual(sealed.map((r) => r.id));
    expect(loaded.journal.map((r) => r.id)).toEqual(open.map((r) => r.id));
    expect(loaded.corrupt).toBe(1);
    expect(loaded.torn).toBe(1);

    const outbox = new Outbox({ send: () => {}, spool: new DiskSpool(dir) });
    expect(outbox.pending).toBe(4);
    expect(outbox.restoreSkipped).toBe(2);
    expect(existsSync(path.join(dir, JOURNAL_FILE))).toBe(false);
  });

  it('a clean close seals the open batch into its batch file and removes the empty journal', () => {
    const dir = tempDir();
    const outbox = new Outbox({ send: () => {}, spool: new DiskSpool(dir), maxBatch: 10 });
    const made = [result(), result(), result()];
    for (const r of made) outbox.add(r);
    expect(journalLines(dir)).toHaveLength(3);
    outbox.close();
    expect(readdirSync(dir)).toEqual(batchFiles(dir));
    const { batches, journal } = new DiskSpool(dir).load();
    expect(journal).toEqual([]);
    expect(batches.flatMap((b) => b.results.map((r) => r.id))).toEqual(made.map((r) => r.id));
  });

  it('writes the batch file from the journal lines: the same JSON as serializing the batch', () => {
    const dir = tempDir();
    const outbox = new Outbox({ send: () => {}, spool: new DiskSpool(dir), maxBatch: 2 });
    outbox.add(result());
    outbox.add(result());
    const [name] = batchFiles(dir);
    expect(readFileSync(path.join(dir, name!), 'utf8')).toBe(JSON.stringify(outbox.batches[0]));
    expect(journalLines(dir)).toEqual([]); // emptied once the batch was saved
  });

  it.each(FSYNC_POLICIES)('keeps every result with fsync policy %s', async (fsync) => {
    const dir = tempDir();
    const spool = new DiskSpool(dir, { fsync });
    expect(spool.fsync).toBe(fsync);
    const outbox = new Outbox({ send: () => {}, spool, maxBatch: 4 });
    const made = Array.from({ length: 10 }, result);
    for (const r of made) outbox.add(r);
    await new Promise((resolve) => setTimeout(resolve, 150)); // past an interval sync
    const restored = new Outbox({ send: () => {}, spool: new DiskSpool(dir, { fsync }) });
    expect(restored.batches.flatMap((b) => b.results.map((r) => r.id))).toEqual(made.map((r) => r.id));
  });

  it('NOP_AGENT_SPOOL_FSYNC: interval by default, always or never; anything else is one line naming it', () => {
    const env = { NOP_BACKEND_URL: 'http://127.0.0.1:1', NOP_AGENT_TOKEN: 't' };
    expect(loadConfig({ env }).spoolFsync).toBe('interval');
    expect(new DiskSpool(tempDir()).fsync).toBe('interval');
    for (const policy of FSYNC_POLICIES)
      expect(loadConfig({ env: { ...env, NOP_AGENT_SPOOL_FSYNC: policy } }).spoolFsync).toBe(policy);
    expect(() => loadConfig({ env: { ...env, NOP_AGENT_SPOOL_FSYNC: 'sometimes' } })).toThrow(
      /^NOP_AGENT_SPOOL_FSYNC: "sometimes" must be interval, always or never$/,
    );
  });
});
