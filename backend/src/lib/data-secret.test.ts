import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataSecret } from './data-secret.ts';

describe('resolveDataSecret', () => {
  it('uses the configured secret when given and writes nothing', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'nop-secret-')), 'data');
    expect(resolveDataSecret('jwt-secret', 's'.repeat(40), dir)).toBe('s'.repeat(40));
    expect(() => statSync(dir)).toThrow();
  });

  it('makes one secret per file in the data folder, readable by the owner only, kept across restarts', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'nop-secret-')), 'data');
    const first = resolveDataSecret('jwt-secret', undefined, dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(resolveDataSecret('jwt-secret', undefined, dir)).toBe(first);
    expect(resolveDataSecret('secret-key', undefined, dir)).not.toBe(first);
  });
});
