import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckResult } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.ts';
import { DiskSpool } from './spool.ts';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'nop-spool-'));
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
    expect(readdirSync(dir)).toHaveLength(outbox.batches.length);
    // the newest batch is the one kept
    expect(new DiskSpool(dir).load().batches.at(-1)!.batchId).toBe(outbox.batches.at(-1)!.batchId);
  });
});
