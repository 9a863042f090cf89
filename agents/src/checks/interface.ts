import type { CheckSpec } from '@nop/protocol';
import { describeError } from './errors.ts';
import { type InterfaceCounters, isUp, readNetDev } from './interface-counters.ts';
import { type Prober, beginRun, round3, runSignal } from './result.ts';

type InterfaceSpec = Extract<CheckSpec, { type: 'interface' }>;

const COUNTERS = [
  'rxBytes',
  'rxPackets',
  'rxErrors',
  'rxDrops',
  'txBytes',
  'txPackets',
  'txErrors',
  'txDrops',
] as const;
const METRIC: Record<(typeof COUNTERS)[number], string> = {
  rxBytes: 'rx_bytes_per_second',
  rxPackets: 'rx_packets_per_second',
  rxErrors: 'rx_errors_per_second',
  rxDrops: 'rx_drops_per_second',
  txBytes: 'tx_bytes_per_second',
  txPackets: 'tx_packets_per_second',
  txErrors: 'tx_errors_per_second',
  txDrops: 'tx_drops_per_second',
};

const pick = (all: InterfaceCounters[], target: string) =>
  target === '*' ? all.filter((i) => i.name !== 'lo') : all.filter((i) => i.name === target);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * Throughput of a network interface (or of all but loopback, target "*"): the kernel's counters
 * read twice, `sampleWindow` apart, give bytes, packets, errors and drops per second each way.
 * No headline latency: durationMs is null.
 */
export const networkInterface: Prober<InterfaceSpec> = async (spec, signal) => {
  const run = beginRun(spec);
  if (spec.sampleWindow >= spec.timeout)
    return run.fail(`sampleWindow (${spec.sampleWindow} ms) must be shorter than timeout (${spec.timeout} ms)`);
  const { signal: runSig, dispose } = runSignal(spec.timeout, signal);
  try {
    const first = await readNetDev();
    const before = pick(first, spec.target);
    if (before.length === 0)
      return run.fail(
        spec.target === '*'
          ? 'no network interface besides loopback'
          : `no interface ${spec.target} (have: ${first.map((i) => i.name).join(', ')})`,
      );
    const t0 = process.hrtime.bigint();
    await sleep(spec.sampleWindow, runSig);
    const after = await readNetDev();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const metrics: Record<string, number> = { interfaces: before.length, sample_seconds: round3(seconds) };
    for (const counter of COUNTERS) metrics[METRIC[counter]] = 0;
    for (const start of before) {
      const end = after.find((i) => i.name === start.name);
      if (!end) continue; // went away during the window
      for (const counter of COUNTERS)
        // a counter that went down was reset (interface re-created): count nothing rather than garbage
        metrics[METRIC[counter]]! += Math.max(0, end[counter] - start[counter]) / seconds;
    }
    for (const counter of COUNTERS) metrics[METRIC[counter]] = round3(metrics[METRIC[counter]]!);

    const down = [];
    for (const i of before) if (!(await isUp(i.name))) down.push(i.name);
    metrics.up = down.length === 0 ? 1 : 0;
    if (spec.target !== '*' && down.length) return run.fail(`${spec.target} is down`, null, metrics);
    return run.ok(null, metrics);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return run.fail('interface counters need Linux (/proc/net/dev is missing)');
    return run.fail(describeError(error));
  } finally {
    dispose();
  }
};
