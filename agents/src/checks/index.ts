import type { CheckResult, CheckSpec, CheckType } from '@nop/protocol';
import { describeError } from './errors.ts';
import { dns } from './dns.ts';
import { http } from './http.ts';
import { icmp } from './icmp.ts';
import { networkInterface } from './interface.ts';
import { type Prober, beginRun } from './result.ts';
import { tcp } from './tcp.ts';
import { traceroute } from './traceroute.ts';

export type { Prober } from './result.ts';
export { closeIcmpSockets, ICMP_PERMISSION_MESSAGE } from './icmp-socket.ts';

/** One prober per check type. A new check type is a new file plus one line here. */
export const PROBERS: { [T in CheckType]: Prober<Extract<CheckSpec, { type: T }>> } = {
  icmp,
  http,
  tcp,
  dns,
  traceroute,
  interface: networkInterface,
};

/** Runs one check with its prober; even a prober bug comes back as a failed result, never a throw. */
export function runCheck(spec: CheckSpec, signal?: AbortSignal): Promise<CheckResult> {
  const prober = PROBERS[spec.type] as Prober;
  // Not an async function: one promise and one await fewer per check (thousands per second).
  try {
    return prober(spec, signal).catch((error: unknown) => internalError(spec, error));
  } catch (error) {
    return Promise.resolve(internalError(spec, error));
  }
}

function internalError(spec: CheckSpec, error: unknown): CheckResult {
  return beginRun(spec).fail(`internal error: ${describeError(error)}`);
}
