import { createHash } from 'node:crypto';
import { lookupService } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CheckSpec, TraceDetails } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type Prober, beginRun, msSince, round3, runSignal } from './result.ts';
import { isValidHost, resolveAddress, stripBrackets } from './target.ts';
import { canonical } from './traceroute-packets.ts';
import { ErrqueueSockets, errqueueUnavailable, pingSocketsAllowed } from './errqueue-socket.ts';
import {
  type Answer,
  type Flow,
  ICMP_TRACEROUTE_PERMISSION_MESSAGE,
  type ProbeSockets,
  TRACEROUTE_PERMISSION_MESSAGE,
  TraceSockets,
} from './traceroute-sockets.ts';

type TracerouteSpec = Extract<CheckSpec, { type: 'traceroute' }>;
type FlowTrace = TraceDetails['flows'][number];
type Hop = FlowTrace['hops'][number];

/** TTLs of one flow in flight at once: silent hops cost probeTimeout per window, not per hop. */
export const TTL_WINDOW = 6;
/** Default destination ports: the classic traceroute UDP base, HTTP for TCP SYNs. */
export const UDP_BASE_PORT = 33_434;
export const TCP_DEFAULT_PORT = 80;
/** Reverse lookups of hop addresses: each may take this long (and all of them no more). */
export const NAME_TIMEOUT_MS = 1000;

interface ProbeOutcome {
  address: string | null;
  rttMs: number | null;
  kind?: Answer['kind'];
  words?: string;
}

interface Pending {
  sentAt: bigint;
  settle: (outcome: ProbeOutcome) => void;
}

/**
 * Paris traceroute, udp and tcp over ordinary sockets and their error queue (method "errqueue", no
 * privileges) when the addon is built, otherwise over raw sockets (method "raw"): every flow keeps
 * one flow id for the whole trace (udp/tcp: same ports, icmp: same identifier and checksum), TTLs
 * go out in a window of TTL_WINDOW (one probe at a time for a serial flow: tcp via errqueue),
 * `probesPerHop` probes per TTL, until the destination answers or `maxHops`.
 * Headline = median RTT of the destination's answers; success = at least one flow reached it.
 */
export const traceroute: Prober<TracerouteSpec> = async (spec, outer) => {
  const run = beginRun(spec);
  const host = stripBrackets(spec.target.trim());
  if (!isValidHost(host)) return run.fail(`invalid host "${spec.target}"`);
  const metrics: Record<string, number> = {};
  const { signal, dispose } = runSignal(spec.timeout, outer);
  try {
    const resolved = await resolveAddress(host, spec.ipVersion);
    if (!resolved.ok)
      return run.fail(
        'lookupError' in resolved
          ? describeError(resolved.lookupError, host)
          : `target ${host} is not an IPv${spec.ipVersion} address`,
      );
    if (resolved.dnsMs !== undefined) metrics.dns_ms = resolved.dnsMs;
    let destination = resolved.address;
    destination = canonical(destination);
    const family = isIP(destination) === 6 ? 6 : 4;
    const port = spec.port ?? (spec.mode === 'tcp' ? TCP_DEFAULT_PORT : UDP_BASE_PORT);

    const pending = new Map<string, Pending>();
    let socketError: string | undefined;
    let sockets: ProbeSockets;
    const deliver = (answer: Answer) => {
      const entry = pending.get(answer.key);
      if (!entry) return;
      entry.settle({
        address: answer.from,
        rttMs: round3(Math.max(0, Number(answer.receivedAt - entry.sentAt) / 1e6)),
        kind: answer.kind,
        words: answer.words,
      });
    };
    const onError = (message: string) => (socketError ??= message);
    const method = methodFor(spec.mode, family);
    try {
      sockets =
        method === 'errqueue'
          ? new ErrqueueSockets(spec.mode, family, destination, port, spec.probeTimeout, deliver, onError)
          : new TraceSockets(spec.mode, family, destination, port, deliver, onError);
    } catch (error) {
      const why = errqueueUnavailable();
      let message = (error as Error).message;
      if (message === TRACEROUTE_PERMISSION_MESSAGE && spec.mode === 'icmp' && !why)
        message = ICMP_TRACEROUTE_PERMISSION_MESSAGE; // raw only because ping sockets are not allowed
      return run.fail(`${message}${why ? `; no errqueue method either: ${why}` : ''}`);
    }

    // The timeout or the agent stopping: every probe still waiting counts as lost, now.
    const onAbort = () => {
      for (const entry of [...pending.values()]) entry.settle({ address: null, rttMs: null });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let flows: FlowTrace[];
    const stops: (Stop | undefined)[] = [];
    try {
      const opened = await Promise.all(Array.from({ length: spec.flows }, () => sockets.openFlow()));
      flows = await Promise.all(
        opened.map(async (flow, index) => {
          const traced = await traceFlow(spec, flow, destination, pending, signal);
          stops[index] = traced.stop;
          return { flowId: index, hops: traced.hops, reached: traced.reached };
        }),
      );
    } catch (error) {
      return run.fail(`cannot probe ${destination}: ${describeError(error)}`);
    } finally {
      signal.removeEventListener('abort', onAbort);
      sockets.close();
    }

    if (spec.resolveNames) await addNames(flows, Math.max(0, spec.timeout - msSince(run.started)), outer);

    const trace: TraceDetails = {
      mode: spec.mode,
      method: sockets.method,
      destination,
      flows,
      fingerprint: fingerprint(flows),
    };
    const all = flows.flatMap((f) => f.hops.flatMap((h) => h.probes));
    const answered = all.filter((p) => p.address !== null).length;
    const reached = flows.filter((f) => f.reached);
    const destRtts = reached.flatMap((f) =>
      f.hops[f.hops.length - 1]!.probes.flatMap((p) =>
        p.address === destination && p.rttMs !== null ? [p.rttMs] : [],
      ),
    );
    Object.assign(metrics, {
      hop_count: reached.length > 0 ? Math.min(...reached.map((f) => f.hops.length)) : spec.maxHops,
      probes_sent: all.length,
      probes_answered: answered,
      loss_ratio: all.length === 0 ? 1 : round3((all.length - answered) / all.length),
      flows: flows.length,
      reached_flows: reached.length,
    });
    const durationMs = destRtts.length > 0 ? median(destRtts) : null;
    let error: string | undefined;
    if (reached.length === 0) {
      const stop = stops.find((s) => s !== undefined);
      if (socketError) error = socketError;
      else if (stop?.address === undefined && stop)
        error = `cannot send probes to ${destination}: ${stop.words} (at hop ${stop.ttl})`;
      else if (stop)
        error = `${stop.words} from ${stop.address} at hop ${stop.ttl}: destination ${destination} not reached`;
      else if (signal.aborted) error = `${describeError(signal.reason)}: destination ${destination} not reached`;
      else error = `destination ${destination} not reached within ${spec.maxHops} hops${lastAnswer(flows)}`;
    }
    return { ...run.result(reached.length > 0, durationMs, metrics, error), trace };
  } finally {
    dispose();
  }
};

/**
 * How a mode's probes are sent: on ordinary sockets reading ICMP errors from their error queue
 * (no privileges, and no raw socket copying every packet of the host to us) when the
 * nop_errqueue addon is built — udp and tcp always, icmp where ping_group_range allows ICMP
 * datagram sockets — else on raw sockets. NOP_TRACEROUTE_METHOD=raw forces raw sockets (to
 * compare both methods).
 */
export function methodFor(mode: TracerouteSpec['mode'], family: 4 | 6): TraceDetails['method'] {
  if (process.env.NOP_TRACEROUTE_METHOD === 'raw' || errqueueUnavailable() !== undefined) return 'raw';
  return mode !== 'icmp' || pingSocketsAllowed(family) ? 'errqueue' : 'raw';
}

/** Why a flow stopped short: a dead end that answered (address) or a probe that could not be sent. */
interface Stop {
  ttl: number;
  address?: string;
  words: string;
}

/** One flow's trace: windows of TTLs, each TTL's probes sent in turn, answers matched by key. */
async function traceFlow(
  spec: TracerouteSpec,
  flow: Flow,
  destination: string,
  pending: Map<string, Pending>,
  signal: AbortSignal,
): Promise<{ hops: Hop[]; reached: boolean; stop?: Stop }> {
  const results = new Map<number, ProbeOutcome[]>();
  const cancels = new Map<number, () => void>();
  let limit = spec.maxHops; // lowest TTL the destination (or a dead end) answered at
  let reachedAt: number | undefined;
  let stop: Stop | undefined;
  let seq = 0;
  let nextTtl = 1;
  let failure: unknown; // a probe that could not be sent (no route, …): no further TTLs

  const lower = (ttl: number) => {
    if (ttl >= limit) return;
    limit = ttl;
    for (const [other, cancel] of cancels) if (other > ttl) cancel();
  };

  // One probe per event-loop turn: answers to earlier probes are read (and timed) between sends.
  // A serial flow also waits for the previous probe's outcome.
  let gate: Promise<void> = Promise.resolve();
  let lastOutcome: Promise<unknown> = Promise.resolve();
  const probe = (ttl: number, cancelled: { value: boolean }): Promise<ProbeOutcome> => {
    const probeSeq = seq++;
    const key = flow.keyOf(probeSeq);
    pending.get(key)?.settle({ address: null, rttMs: null }); // a tag reused after wrapping
    const previous = lastOutcome;
    const outcome = new Promise<ProbeOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const lost = () => settle({ address: null, rttMs: null });
      const entry: Pending = {
        sentAt: process.hrtime.bigint(),
        settle: (outcome) => settle(outcome),
      };
      function settle(outcome: ProbeOutcome) {
        if (pending.get(key) !== entry) return;
        pending.delete(key);
        clearTimeout(timer);
        if (outcome.address === destination) {
          reachedAt = Math.min(reachedAt ?? Infinity, ttl);
          lower(ttl);
        } else if (outcome.kind === 'unreachable' && outcome.address !== null) {
          if (!stop || ttl < stop.ttl) stop = { ttl, address: outcome.address, words: outcome.words ?? 'unreachable' };
          lower(ttl);
        }
        resolve(outcome);
      }
      pending.set(key, entry);
      gate = gate
        .then(() => (flow.serial ? previous : undefined))
        .then(() => new Promise<void>((next) => setImmediate(next)))
        .then(() => {
          if (pending.get(key) !== entry) return; // cancelled, or the run was aborted
          if (cancelled.value || signal.aborted || failure !== undefined) return lost();
          timer = setTimeout(lost, spec.probeTimeout);
          flow
            .send(probeSeq, ttl, () => (entry.sentAt = process.hrtime.bigint()))
            .catch((error: unknown) => {
              failure ??= error;
              lost();
            });
        });
    });
    lastOutcome = outcome;
    return outcome;
  };

  const hop = async (ttl: number) => {
    const cancelled = { value: false };
    const outcomes: Promise<ProbeOutcome>[] = [];
    const keysOfHop = new Set<string>();
    cancels.set(ttl, () => {
      cancelled.value = true;
      for (const [key, entry] of [...pending]) if (keysOfHop.has(key)) entry.settle({ address: null, rttMs: null });
    });
    for (let i = 0; i < spec.probesPerHop && !cancelled.value && !signal.aborted; i++) {
      keysOfHop.add(flow.keyOf(seq));
      outcomes.push(probe(ttl, cancelled));
    }
    results.set(ttl, await Promise.all(outcomes));
    cancels.delete(ttl);
  };

  const running = new Set<Promise<void>>();
  while (!signal.aborted && failure === undefined) {
    while (nextTtl <= limit && running.size < TTL_WINDOW && !signal.aborted) {
      const task: Promise<void> = hop(nextTtl++)
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => running.delete(task));
      running.add(task);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  await Promise.all(running);

  const hops: Hop[] = [];
  for (let ttl = 1; ttl <= limit; ttl++) {
    const outcomes = results.get(ttl);
    if (!outcomes || outcomes.length === 0) break; // not sent (run aborted)
    hops.push({ ttl, probes: outcomes.map(({ address, rttMs }) => ({ address, rttMs })) });
  }
  const reached = reachedAt !== undefined && reachedAt <= hops.length;
  if (!reached && failure !== undefined) stop = { ttl: nextTtl - 1, words: describeError(failure) };
  return { hops, reached, ...(reached || !stop ? {} : { stop }) };
}

/** Reverse DNS (getnameinfo: /etc/hosts first) for every answering address, bounded in time. */
async function addNames(flows: FlowTrace[], budgetMs: number, signal?: AbortSignal): Promise<void> {
  const addresses = new Set(flows.flatMap((f) => f.hops.flatMap((h) => h.probes.flatMap((p) => p.address ?? []))));
  const limit = Math.min(NAME_TIMEOUT_MS, budgetMs);
  if (addresses.size === 0 || limit <= 0 || signal?.aborted) return;
  const names = new Map<string, string>();
  await Promise.all(
    [...addresses].map(async (address) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), limit)));
      const name = await Promise.race([
        lookupService(address, 0).then(
          (r) => r.hostname,
          () => undefined,
        ),
        timeout,
      ]);
      clearTimeout(timer);
      if (name && name !== address) names.set(address, name);
    }),
  );
  for (const flow of flows)
    for (const hop of flow.hops) {
      const own = Object.fromEntries(
        hop.probes.flatMap((p) => (p.address && names.has(p.address) ? [[p.address, names.get(p.address)!]] : [])),
      );
      if (Object.keys(own).length > 0) hop.names = own;
    }
}

/** Short hash of each flow's hop addresses in TTL order ("*" = silent hop); flow order does not count. */
export function fingerprint(flows: FlowTrace[]): string {
  const paths = flows
    .map((f) =>
      f.hops
        .map((h) => {
          const seen = [...new Set(h.probes.flatMap((p) => p.address ?? []))].sort();
          return seen.length > 0 ? seen.join('|') : '*';
        })
        .join(','),
    )
    .sort();
  return createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 12);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function lastAnswer(flows: FlowTrace[]): string {
  let best: { ttl: number; address: string } | undefined;
  for (const flow of flows)
    for (const hop of flow.hops) {
      const address = hop.probes.find((p) => p.address !== null)?.address;
      if (address && (!best || hop.ttl > best.ttl)) best = { ttl: hop.ttl, address };
    }
  return best ? ` (last answer from ${best.address} at hop ${best.ttl})` : ' (no hop answered)';
}
