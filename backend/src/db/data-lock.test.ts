import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './data-lock.ts';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'nop-lock-'));

describe('lockDataDir', () => {
  it('locks a folder once, and frees it on release', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(existsSync(path.join(dir, 'nop.lock'))).toBe(true);
    release();
    expect(existsSync(path.join(dir, 'nop.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('refuses a folder a live process holds, naming its pid', async () => {
    const dir = tempDir();
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(dir, 'nop.lock'), String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
      expect(() => lockDataDir(dir)).toThrow(`in use by another NOP (pid ${holder.pid})`);
    } finally {
      holder.kill();
    }
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = tempDir();
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(path.join(dir, 'nop.lock'), String(gone.pid));
    const release = lockDataDir(dir);
    release();
  });
});
