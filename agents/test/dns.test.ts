import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { startDnsServer, type TestDnsServer } from './dns-server.ts';
import { spec } from './helpers.ts';

let server: TestDnsServer;
let server6: TestDnsServer | undefined;

beforeAll(async () => {
  server = await startDnsServer('127.0.0.1');
  server6 = await startDnsServer('::1').catch(() => undefined);
});

afterAll(async () => {
  await server.close();
  await server6?.close();
});

const dns = (id: string, target: string, extra: Record<string, unknown> = {}) =>
  runCheck(spec({ id, type: 'dns', target, server: `127.0.0.1:${server.port}`, timeout: 1000, ...extra }));

describe('dns prober (against a UDP DNS server started here)', () => {
  it('resolves a known A record and counts the answers', async () => {
    const result = await dns('a', 'web.nop.test');
    expect(CheckResult.parse(result)).toEqual(result);
    expect(result).toMatchObject({ success: true, type: 'dns', metrics: { answers: 2 } });
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.metrics.dns_ms).toBe(result.durationMs);
    expect(server.queries.at(-1)).toEqual({ name: 'web.nop.test', type: 'A' });
  });

  it('asks for the record type given (AAAA, MX, TXT)', async () => {
    expect(await dns('aaaa', 'v6.nop.test', { recordType: 'AAAA' })).toMatchObject({
      success: true,
      metrics: { answers: 1 },
    });
    expect(server.queries.at(-1)).toEqual({ name: 'v6.nop.test', type: 'AAAA' });
    expect(await dns('mx', 'nop.test', { recordType: 'MX' })).toMatchObject({ success: true, metrics: { answers: 1 } });
    expect(await dns('txt', 'txt.nop.test', { recordType: 'TXT' })).toMatchObject({
      success: true,
      metrics: { answers: 1 },
    });
  });

  it('reports NXDOMAIN in words', async () => {
    const result = await dns('nx', 'missing.nop.test');
    expect(result).toMatchObject({
      success: false,
      durationMs: null,
      error: 'NXDOMAIN: missing.nop.test does not exist',
    });
  });

  it('reports a name without records of the type (NODATA)', async () => {
    expect((await dns('nodata', 'empty.nop.test')).error).toBe('no A records for empty.nop.test (NODATA)');
  });

  it('reports SERVFAIL and REFUSED', async () => {
    expect((await dns('servfail', 'fail.nop.test')).error).toBe(
      'SERVFAIL: the server failed to answer for fail.nop.test',
    );
    expect((await dns('refused', 'refused.nop.test')).error).toBe('REFUSED: the server refused the query');
  });

  it('times out when the server never answers', async () => {
    const started = Date.now();
    const result = await dns('slow', 'slow.nop.test', { timeout: 300 });
    expect(result).toMatchObject({ success: false, error: 'timeout after 300 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('queries a server given as [::1]:port', async (ctx) => {
    if (!server6) ctx.skip();
    const result = await dns('v6server', 'web.nop.test', { server: `[::1]:${server6!.port}` });
    expect(result).toMatchObject({ success: true, metrics: { answers: 2 } });
    expect(server6!.queries.length).toBeGreaterThan(0);
  });

  it('accepts the server as a host name (resolved first)', async () => {
    const result = await dns('named-server', 'web.nop.test', { server: `localhost:${server.port}` });
    expect(result.success).toBe(true);
  });

  it('rejects a malformed server without querying', async () => {
    expect((await dns('badserver', 'web.nop.test', { server: 'not a server' })).error).toBe(
      'invalid DNS server "not a server"',
    );
  });
});
