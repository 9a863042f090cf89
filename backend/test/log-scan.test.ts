import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanLogs } from './helpers/log-scan.ts';
import { createTestApp, signup } from './helpers/app.ts';
import { TEST_LOG_DIR } from './helpers/test-logs.ts';

describe('the log scan that ends every run', () => {
  it('finds each kind of secret, says where, and passes clean logs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nop-scan-'));
    writeFileSync(path.join(dir, 'clean.log'), '{"msg":"agent linked","agent":"edge-1"}\n'.repeat(100));
    writeFileSync(
      path.join(dir, 'leaky.log'),
      [
        '{"msg":"ok"}',
        '{"params":["$argon2id$v=19$m=19456,t=2,p=1$abc"]}',
        '{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}',
        `{"url":"ws://x","auth":"nop_agt_${'A'.repeat(43)}"}`,
        `{"hash":"${'ab'.repeat(32)}"}`,
        '{"headers":{"authorization":"Bearer canary-header-1"}}',
      ].join('\n'),
    );
    const { files, findings } = scanLogs(dir);
    expect(files).toBe(2);
    expect(findings.map((f) => [f.file, f.line, f.what])).toEqual([
      ['leaky.log', 2, 'an argon2 password hash'],
      ['leaky.log', 3, 'a JWT'],
      ['leaky.log', 4, 'an agent, API or invitation token'],
      ['leaky.log', 5, 'a SHA-256 token hash'],
      ['leaky.log', 6, 'a planted secret (canary)'],
    ]);
    expect(findings.every((f) => !f.excerpt.includes('canary-header') && !f.excerpt.includes('$argon2id$'))).toBe(true);
  });

  it('has logs to scan: test apps write theirs, at debug level, into the run folder', async () => {
    const t = await createTestApp('pglite');
    await signup(t.app, 'logged');
    await t.app.inject({ url: '/api/v1/agents' });
    await t.close();
    const { files, bytes } = scanLogs(TEST_LOG_DIR);
    expect(files).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(0);
  });
});
