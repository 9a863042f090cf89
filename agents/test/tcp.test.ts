import { createServer, type Server, type AddressInfo } from 'node:net';
import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { spec } from './helpers.ts';

let v4: Server;
let v6: Server | undefined;
let openPort: number;
let v6Port = 0;
let closedPort: number;
let accepted = 0;

async function listen(host: string): Promise<Server> {
  const server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return server;
}

beforeAll(async () => {
  v4 = await listen('127.0.0.1');
  openPort = (v4.address() as AddressInfo).port;
  v6 = await listen('::1').catch(() => undefined);
  if (v6) v6Port = (v6.address() as AddressInfo).port;
  const closed = await listen('127.0.0.1');
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  await new Promise((resolve) => v4.close(resolve));
  if (v6) await new Promise((resolve) => v6!.close(resolve));
});

describe('tcp prober', () => {
  it('connects to an open port and reports the connect time', async () => {
    const before = accepted;
    const result = await runCheck(spec({ id: 'open', type: 'tcp', target: `127.0.0.1:${openPort}` }));
    expect(CheckResult.parse(result)).toEqual(result);
    expect(result.success).toBe(true);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBe(result.metrics.connect_ms);
    expect(result.metrics.dns_ms).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(accepted).toBe(before + 1);
  });

  it('connects to [::1]:port', async (ctx) => {
    if (!v6) ctx.skip();
    const result = await runCheck(spec({ id: 'open6', type: 'tcp', target: `[::1]:${v6Port}` }));
    expect(result).toMatchObject({ success: true, target: `[::1]:${v6Port}` });
  });

  it('resolves a host name first and times it apart', async () => {
    const result = await runCheck(spec({ id: 'byname', type: 'tcp', target: `localhost:${openPort}` }));
    expect(result.success).toBe(true);
    expect(result.metrics.dns_ms).toBeGreaterThan(0);
  });

  it('reports a closed port as "connection refused"', async () => {
    const result = await runCheck(spec({ id: 'closed', type: 'tcp', target: `127.0.0.1:${closedPort}` }));
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'connection refused' });
  });

  it('reports port 0 and bad hosts without trying', async () => {
    expect((await runCheck(spec({ id: 'p0', type: 'tcp', target: '127.0.0.1:0' }))).error).toMatch(
      /^invalid target "127.0.0.1:0"/,
    );
    expect((await runCheck(spec({ id: 'bad', type: 'tcp', target: 'bad_host!:80' }))).error).toMatch(/^invalid target/);
  });

  it('gives up when the agent aborts the run (shutdown)', async () => {
    // (A connect that never completes cannot be staged on loopback: the kernel answers at once.)
    const controller = new AbortController();
    controller.abort();
    const result = await runCheck(
      spec({ id: 'abort', type: 'tcp', target: `127.0.0.1:${openPort}` }),
      controller.signal,
    );
    expect(result).toMatchObject({ success: false, durationMs: null, error: 'aborted: agent stopping' });
  });
});
