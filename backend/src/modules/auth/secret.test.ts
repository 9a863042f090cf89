import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveJwtSecret } from './secret.ts';

describe('resolveJwtSecret', () => {
  it('uses JWT_SECRET when given and writes nothing', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'nop-secret-')), 'data');
    expect(resolveJwtSecret('s'.repeat(40), dir)).toBe('s'.repeat(40));
    expect(() => statSync(dir)).toThrow();
  });

  it('makes one secret in the data folder, readable by the owner only, and keeps it across restarts', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'nop-secret-')), 'data');
    const first = resolveJwtSecret(undefined, dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(resolveJwtSecret(undefined, dir)).toBe(first);
  });
});
