import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatusServer, startStatusServer } from './server.ts';

describe('status server sockets', () => {
  let status: StatusServer;
  beforeAll(async () => {
    status = await startStatusServer('127.0.0.1:0', { registry: new Registry(), health: () => ({ status: 'ok' }) });
  });
  afterAll(() => status.close());

  it('listens with the deepest accept queue the kernel allows (a scrape burst of 1,000 connects fits)', () => {
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    // For a listening socket, ss prints the backlog as Send-Q.
    const line = execFileSync('ss', ['-ltnH', `sport = :${status.port}`], { encoding: 'utf8' }).trim();
    const backlog = Number(line.split(/\s+/)[2]);
    expect(backlog).toBe(Math.min(65_535, somaxconn));
    expect(backlog).toBeGreaterThan(511); // Node's default, which overflowed under a burst
  });

  it('keeps idle scrape connections as long as Prometheus does (5 minutes)', () => {
    expect(status.server.keepAliveTimeout).toBe(300_000);
  });
});
