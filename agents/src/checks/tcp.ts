import { connect } from 'node:net';
import type { CheckSpec } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type Prober, beginRun, msSince, runSignal } from './result.ts';
import { isValidHost, splitHostPort } from './target.ts';

type TcpSpec = Extract<CheckSpec, { type: 'tcp' }>;

/** A TCP handshake to host:port ([v6]:port); headline = connect time (after name resolution). */
export const tcp: Prober<TcpSpec> = (spec, signal) =>
  new Promise((resolve) => {
    const run = beginRun(spec);
    const parsed = splitHostPort(spec.target);
    if (!parsed || parsed.port === 0 || !isValidHost(parsed.host))
      return resolve(run.fail(`invalid target "${spec.target}": must be host:port with port 1-65535`));
    const { host, port } = parsed;
    const { signal: runSig, dispose } = runSignal(spec.timeout, signal);
    let resolvedAt: bigint | undefined;
    let settled = false;

    const socket = connect({ host, port });
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      const connectedAt = process.hrtime.bigint();
      dispose();
      socket.destroy();
      const metrics: Record<string, number> = { dns_ms: resolvedAt ? msSince(run.started, resolvedAt) : 0 };
      if (error !== undefined) return resolve(run.fail(describeError(error, host), null, metrics));
      metrics.connect_ms = msSince(resolvedAt ?? run.started, connectedAt);
      resolve(run.ok(metrics.connect_ms, metrics));
    };
    socket.once('lookup', (error) => {
      if (!error) resolvedAt = process.hrtime.bigint();
    });
    socket.once('connect', () => finish());
    socket.once('error', (error) => finish(error));
    runSig.addEventListener('abort', () => finish(runSig.reason), { once: true });
    if (runSig.aborted) finish(runSig.reason);
  });
