import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckSpec } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type EchoOutcome, icmpSocket } from './icmp-socket.ts';
import { type Prober, beginRun, msSince, round3 } from './result.ts';
import { isValidHost, stripBrackets } from './target.ts';

type IcmpSpec = Extract<CheckSpec, { type: 'icmp' }>;

/** Gap between the echoes of one run (ping's default is 1 s; 100 ms keeps a run short). */
export const ECHO_SPACING_MS = 100;

/** `count` ICMP echoes to the target over the shared raw socket; headline = average RTT. */
export const icmp: Prober<IcmpSpec> = async (spec, signal) => {
  const run = beginRun(spec);
  const host = stripBrackets(spec.target.trim());
  if (!isValidHost(host)) return run.fail(`invalid host "${spec.target}"`);

  const metrics: Record<string, number> = {};
  let address = host;
  if (isIP(host) === 0) {
    const started = process.hrtime.bigint();
    try {
      address = (await lookup(host)).address;
    } catch (error) {
      return run.fail(describeError(error, host));
    }
    metrics.dns_ms = msSince(started);
  }
  const family = isIP(address) === 6 ? 6 : 4;

  let socket;
  try {
    socket = icmpSocket(family);
  } catch (error) {
    return run.fail((error as Error).message);
  }

  const echoes: Promise<EchoOutcome>[] = [];
  for (let i = 0; i < spec.count && !signal?.aborted; i++) {
    if (i > 0) await sleep(ECHO_SPACING_MS, undefined, { signal }).catch(() => undefined);
    if (signal?.aborted) break;
    echoes.push(socket.echo(address, spec.size, spec.timeout, signal));
  }
  return summarize(run, spec, await Promise.all(echoes), metrics);
};

function summarize(
  run: ReturnType<typeof beginRun>,
  spec: IcmpSpec,
  outcomes: EchoOutcome[],
  metrics: Record<string, number>,
) {
  const rtts = outcomes.flatMap((o) => ('rttMs' in o ? [o.rttMs] : []));
  const sent = outcomes.length;
  metrics.packets_sent = sent;
  metrics.packets_received = rtts.length;
  metrics.loss_ratio = sent === 0 ? 1 : round3((sent - rtts.length) / sent);
  if (rtts.length === 0) {
    const firstError = outcomes.find((o): o is { error: string } => 'error' in o);
    const error = firstError
      ? firstError.error
      : `timeout after ${spec.timeout} ms (no reply to ${sent} echo${sent === 1 ? '' : 's'})`;
    return run.fail(error, null, metrics);
  }
  const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
  const meanSquare = rtts.reduce((a, b) => a + b * b, 0) / rtts.length;
  metrics.rtt_min_ms = round3(Math.min(...rtts));
  metrics.rtt_avg_ms = round3(avg);
  metrics.rtt_max_ms = round3(Math.max(...rtts));
  metrics.rtt_mdev_ms = round3(Math.sqrt(Math.max(0, meanSquare - avg * avg)));
  return run.ok(avg, metrics);
}
