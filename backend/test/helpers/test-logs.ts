import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { LOG_SETTINGS } from '../../src/http/log-redaction.ts';

/**
 * Every log the suite makes is written under one folder (NOP_TEST_LOG_DIR, set for the run by
 * backend/test/global-log-scan.ts), and scanned for secrets when the run ends.
 */
export const TEST_LOG_DIR = process.env.NOP_TEST_LOG_DIR ?? path.join(os.tmpdir(), 'nop-test-logs-adhoc');

let counter = 0;
/** A new file in the log folder for one app, process or agent of one test file. */
export function logFile(kind: string): string {
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  return path.join(TEST_LOG_DIR, `${kind}-${process.pid}-${++counter}.log`);
}

/** A pino logger at debug level writing to its own file: what a test app logs, kept for the scan. */
export function testLogger(kind: string) {
  return pino({ level: 'debug', ...LOG_SETTINGS }, pino.destination({ dest: logFile(kind), sync: true }));
}

/** Appends a child process's output to a log file as it comes. */
export function teeTo(file: string) {
  return (chunk: Buffer | string) => appendFileSync(file, chunk);
}
