import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckSpec } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type EchoOptions, type EchoOutcome, icmpSocket } from './icmp-socket.ts';
import { type Prober, beginRun, round3 } from './result.ts';
import { isValidHost, resolveAddress, stripBrackets } from './target.ts';

type IcmpSpec = Extract<CheckSpec, { type: 'icmp' }>;

/**
 * `count` ICMP echoes to the target, `echoInterval` apart (from the run's start, so no drift),
 * each waiting up to the check timeout, over the shared ICMP socket; headline = average RTT.
 */
export const icmp: Prober<IcmpSpec> = async (spec, signal) => {
  const run = beginRun(spec);
  const host = stripBrackets(spec.target.trim());
  if (!isValidHost(host)) return run.fail(`invalid host "${spec.target}"`);

  const metrics: Record<string, number> = {};
  const resolved = await resolveAddress(host, spec.ipVersion);
  if (!resolved.ok)
    return run.fail(
      'lookupError' in resolved
        ? describeError(resolved.lookupError, host)
        : `${host} is not an IPv${spec.ipVersion} address (ipVersion is ${spec.ipVersion})`,
    );
  const { address, family } = resolved;
  if (resolved.dnsMs !== undefined) metrics.dns_ms = resolved.dnsMs;

  let socket;
  try {
    socket = icmpSocket(family);
  } catch (error) {
    return run.fail((error as Error).message);
  }

  const options = spec.ttl === undefined && spec.dontFragment === undefined ? NO_OPTIONS : spec;
  if (spec.count === 1) {
    // The common case (and the one a big fleet of targets runs): no pacing, no array of promises.
    const outcomes = signal?.aborted ? [] : [await socket.echo(address, spec.size, spec.timeout, signal, options)];
    return summarize(run, spec, outcomes, metrics);
  }
  const echoes: Promise<EchoOutcome>[] = [];
  const start = performance.now();
  for (let i = 0; i < spec.count && !signal?.aborted; i++) {
    const wait = start + i * spec.echoInterval - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
    if (signal?.aborted) break;
    echoes.push(socket.echo(address, spec.size, spec.timeout, signal, options));
  }
  const outcomes = echoes.length === 1 ? [await echoes[0]!] : await Promise.all(echoes);
  return summarize(run, spec, outcomes, metrics);
};

const NO_OPTIONS: EchoOptions = Object.freeze({});

function summarize(
  run: ReturnType<typeof beginRun>,
  spec: IcmpSpec,
  outcomes: EchoOutcome[],
  metrics: Record<string, number>,
) {
  // One pass, in sending order (the jitter compares consecutive replies).
  let received = 0;
  let sum = 0;
  let sumSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  let jitterSum = 0;
  let previous = NaN;
  let ttl: number | undefined;
  let firstError: string | undefined;
  for (const outcome of outcomes) {
    if ('rttMs' in outcome) {
      const rtt = outcome.rttMs;
      received++;
      sum += rtt;
      sumSquares += rtt * rtt;
      if (rtt < min) min = rtt;
      if (rtt > max) max = rtt;
      if (received > 1) jitterSum += Math.abs(rtt - previous);
      previous = rtt;
      if (outcome.ttl !== undefined) ttl = outcome.ttl;
    } else if ('error' in outcome && firstError === undefined) firstError = outcome.error;
  }
  const sent = outcomes.length;
  metrics.packets_sent = sent;
  metrics.packets_received = received;
  metrics.loss_ratio = sent === 0 ? 1 : round3((sent - received) / sent);
  if (received === 0) {
    const error = firstError ?? `timeout after ${spec.timeout} ms (no reply to ${sent} echo${sent === 1 ? '' : 'es'})`;
    return run.fail(error, null, metrics);
  }
  const avg = sum / received;
  metrics.rtt_min_ms = round3(min);
  metrics.rtt_avg_ms = round3(avg);
  metrics.rtt_max_ms = round3(max);
  metrics.rtt_mdev_ms = round3(Math.sqrt(Math.max(0, sumSquares / received - avg * avg)));
  // Mean absolute difference of consecutive RTTs (the idea of RFC 3550's interarrival jitter).
  if (received >= 2) metrics.jitter_ms = round3(jitterSum / (received - 1));
  // The TTL / hop limit of the last reply.
  if (ttl !== undefined) metrics.reply_ttl = ttl;
  return run.ok(avg, metrics);
}
