import * as nodeHttp from 'node:http';
import * as nodeHttps from 'node:https';
import type { CheckSpec } from '@nop/protocol';
import { AGENT_VERSION } from '../version.ts';
import { describeError } from './errors.ts';
import { type Prober, beginRun, msSince, runSignal } from './result.ts';

type HttpSpec = Extract<CheckSpec, { type: 'http' }>;

/**
 * One HTTP(S) request on a fresh connection, timed by phase from socket events:
 * dns -> connect -> tls -> ttfb (request sent until first response byte) -> transfer.
 * Redirects are not followed: a 3xx is the answer (success by default, like any 2xx/3xx).
 */
export const http: Prober<HttpSpec> = (spec, signal) =>
  new Promise((resolve) => {
    const run = beginRun(spec);
    const url = new URL(spec.target);
    const { signal: runSig, dispose } = runSignal(spec.timeout, signal);
    const marks: { lookup?: bigint; connect?: bigint; secure?: bigint; response?: bigint; end?: bigint } = {};
    let status: number | undefined;
    let bytes = 0;
    let settled = false;

    const phases = (): Record<string, number> => {
      const m: Record<string, number> = {};
      const { started } = run;
      m.dns_ms = marks.lookup ? msSince(started, marks.lookup) : 0;
      if (marks.connect) m.connect_ms = msSince(marks.lookup ?? started, marks.connect);
      if (marks.secure && marks.connect) m.tls_ms = msSince(marks.connect, marks.secure);
      const ready = marks.secure ?? marks.connect;
      if (marks.response && ready) m.ttfb_ms = msSince(ready, marks.response);
      if (marks.end && marks.response) m.transfer_ms = msSince(marks.response, marks.end);
      if (status !== undefined) {
        m.status_code = status;
        m.response_bytes = bytes;
      }
      return m;
    };

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      dispose();
      req.destroy();
      const metrics = phases();
      if (error !== undefined) {
        resolve(run.fail(describeError(error, url.hostname), null, metrics));
        return;
      }
      const total = msSince(run.started, marks.end);
      const expected = spec.expectStatus;
      const ok = expected ? expected.includes(status!) : status! >= 200 && status! <= 399;
      const want = expected ? `[${expected.join(', ')}]` : '200-399';
      resolve(run.result(ok, total, metrics, ok ? undefined : `HTTP ${status} not in expected ${want}`));
    };

    const headers: Record<string, string> = { 'user-agent': `nop-agent/${AGENT_VERSION}`, ...spec.headers };
    const lib = url.protocol === 'https:' ? nodeHttps : nodeHttp;
    const req = lib.request(url, { method: spec.method, headers, agent: false });
    runSig.addEventListener('abort', () => finish(runSig.reason), { once: true });
    req.on('socket', (socket) => {
      const now = () => process.hrtime.bigint();
      socket.once('lookup', () => (marks.lookup = now()));
      socket.once('connect', () => (marks.connect = now()));
      socket.once('secureConnect', () => (marks.secure = now()));
    });
    req.on('response', (res) => {
      marks.response = process.hrtime.bigint();
      status = res.statusCode ?? 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.once('end', () => {
        marks.end = process.hrtime.bigint();
        finish();
      });
      res.once('error', (error) => finish(error));
      res.once('aborted', () => finish(new Error('response aborted by the server')));
    });
    req.on('error', (error) => finish(error));
    if (runSig.aborted) return finish(runSig.reason);
    req.end(spec.body);
  });
