import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanLogs } from './helpers/log-scan.ts';

/**
 * Vitest global setup: one fresh folder for every log the run writes (apps, backend processes,
 * agents), and at the end a scan of all of it for passwords, hashes, JWTs, tokens and planted
 * secrets. A finding fails the run (exit code 1) and names file, line and kind.
 */
export default function setup() {
  // NOP_TEST_LOG_DIR given: the logs are kept there for reading; otherwise a fresh folder, removed if clean
  const keep = !!process.env.NOP_TEST_LOG_DIR;
  const dir = process.env.NOP_TEST_LOG_DIR ?? path.join(os.tmpdir(), `nop-test-logs-${process.pid}`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.NOP_TEST_LOG_DIR = dir;

  return () => {
    const { files, bytes, findings } = scanLogs(dir);
    if (findings.length > 0) {
      console.error(`\nlog scan: ${findings.length} secret(s) in the logs the suite wrote (${dir}):`);
      for (const f of findings.slice(0, 50)) console.error(`  ${f.file}:${f.line}: ${f.what}: ${f.excerpt}`);
      process.exitCode = 1;
      return;
    }
    console.log(`\nlog scan: ${files} log files, ${(bytes / 1e6).toFixed(1)} MB, no secrets found`);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
}
