import { readFile } from 'node:fs/promises';

/** One interface's counters from /proc/net/dev (the kernel's totals since the interface appeared). */
export interface InterfaceCounters {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDrops: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDrops: number;
}

export const PROC_NET_DEV = '/proc/net/dev';

/**
 * Parses /proc/net/dev: two header lines, then `name: rx bytes packets errs drop fifo frame
 * compressed multicast tx bytes packets errs drop fifo colls carrier compressed`.
 */
export function parseNetDev(text: string): InterfaceCounters[] {
  const interfaces: InterfaceCounters[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    interfaces.push({
      name,
      rxBytes: f[0]!,
      rxPackets: f[1]!,
      rxErrors: f[2]!,
      rxDrops: f[3]!,
      txBytes: f[8]!,
      txPackets: f[9]!,
      txErrors: f[10]!,
      txDrops: f[11]!,
    });
  }
  return interfaces;
}

export async function readNetDev(file = PROC_NET_DEV): Promise<InterfaceCounters[]> {
  return parseNetDev(await readFile(file, 'utf8'));
}

/** Whether the interface is up: "up", or "unknown" (loopback and some virtual links report that). */
export async function isUp(name: string): Promise<boolean> {
  try {
    const state = (await readFile(`/sys/class/net/${name}/operstate`, 'utf8')).trim();
    return state === 'up' || state === 'unknown';
  } catch {
    return true; // no sysfs (containers without it): the counters are all we know
  }
}
