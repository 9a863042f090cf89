import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AGENT_BIN } from '../src/index.ts';
import { type RunOutput, agentEnv, runToEnd } from './helpers.ts';

/**
 * A chain of network namespaces as a tiny routed network, made (and removed) by a test:
 *
 *   src 10.201.1.1 ── 10.201.1.2 r1 10.201.2.1 ── 10.201.2.2 r2 10.201.3.1 ── 10.201.3.2 dst
 *       fd00:201:1::1 ─ fd00:201:1::2  fd00:201:2::1 ─ fd00:201:2::2  fd00:201:3::1 ─ fd00:201:3::2
 *
 * r1 and r2 forward both families; every namespace answers ICMP/ICMPv6 without rate limit. The
 * addresses exist only inside these namespaces, and src has routes to 10.201.0.0/16 and
 * fd00:201::/32 only (no default route): probes cannot leave them.
 * Namespace names are nopt-<pid>-<random>-<role>, so a later run can remove a crashed run's.
 */

export const PREFIX = 'nopt-';
export const ADDRESSES = { src: '10.201.1.1', r1: '10.201.1.2', r2: '10.201.2.2', dst: '10.201.3.2' } as const;
export const ADDRESSES6 = {
  src: 'fd00:201:1::1',
  r1: 'fd00:201:1::2',
  r2: 'fd00:201:2::2',
  dst: 'fd00:201:3::2',
} as const;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a command inside a namespace. */
export function inNetns(ns: string, ...command: string[]): string {
  return ip('netns', 'exec', ns, ...command);
}

function listNetns(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean);
}

/** Whether this process may create namespaces (root / CAP_SYS_ADMIN); the reason when not. */
export function netnsUnavailable(): string | undefined {
  const probe = `${PREFIX}${process.pid}-probe`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return undefined;
  } catch (error) {
    return `ip netns add is not permitted here: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Removes namespaces left by runs whose process is gone. */
export function removeStaleNetns(): void {
  for (const name of listNetns()) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    let alive = false;
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        alive = pid === process.pid ? false : true;
      } catch {
        alive = false;
      }
    }
    if (!alive) ip('netns', 'del', name);
  }
}

function macOf(ns: string, dev: string): string {
  const [link] = JSON.parse(ip('-n', ns, '-j', 'link', 'show', 'dev', dev)) as { address: string }[];
  return link!.address;
}

export interface Chain {
  src: string;
  r1: string;
  r2: string;
  dst: string;
  destroy(): void;
}

export function createChain(): Chain {
  const tag = `${PREFIX}${process.pid}-${randomBytes(2).toString('hex')}`;
  const ns = { src: `${tag}-src`, r1: `${tag}-r1`, r2: `${tag}-r2`, dst: `${tag}-dst` };
  const chain: Chain = {
    ...ns,
    destroy() {
      for (const name of Object.values(ns))
        try {
          ip('netns', 'del', name);
        } catch {
          // already gone
        }
    },
  };
  try {
    for (const name of Object.values(ns)) {
      ip('netns', 'add', name);
      ip('-n', name, 'link', 'set', 'lo', 'up');
      inNetns(name, 'sysctl', '-qw', 'net.ipv4.icmp_ratelimit=0', 'net.ipv6.icmp.ratelimit=0');
      // The namespace-wide ICMP budget (IPv4 and IPv6 together, a burst of 50 by default) too: the
      // tests trace every mode and family at once, more errors per burst than that. Per namespace
      // since Linux 6.11; older kernels keep it host-wide, where this is skipped.
      try {
        inNetns(name, 'sysctl', '-qw', 'net.ipv4.icmp_msgs_per_sec=100000', 'net.ipv4.icmp_msgs_burst=100000');
      } catch {
        // not per namespace on this kernel
      }
    }
    const links: [string, string, string, string, string, string][] = [
      // namespace, device (host .1/::1), peer namespace, peer device (.2/::2), IPv4 /30 and IPv6 /64 prefixes
      [ns.src, 's0', ns.r1, 'a0', '10.201.1', 'fd00:201:1:'],
      [ns.r1, 'a1', ns.r2, 'b0', '10.201.2', 'fd00:201:2:'],
      [ns.r2, 'b1', ns.dst, 'd0', '10.201.3', 'fd00:201:3:'],
    ];
    for (const [a, devA, b, devB, v4, v6] of links) {
      ip('link', 'add', devA, 'netns', a, 'type', 'veth', 'peer', 'name', devB, 'netns', b);
      for (const [name, dev, host] of [
        [a, devA, 1],
        [b, devB, 2],
      ] as const) {
        ip('-n', name, 'addr', 'add', `${v4}.${host}/30`, 'dev', dev);
        // nodad: usable at once (duplicate address detection would hold it back ~1 s)
        ip('-n', name, 'addr', 'add', `${v6}:${host}/64`, 'dev', dev, 'nodad');
        ip('-n', name, 'link', 'set', dev, 'up');
      }
      // Permanent neighbour entries: a first burst of probes never waits on (nor is dropped by)
      // ARP/NDP resolution, which fresh IPv6 neighbours showed as silent hops on the first trace.
      for (const [name, dev, peer, peerDev, host] of [
        [a, devA, b, devB, 2],
        [b, devB, a, devA, 1],
      ] as const) {
        const mac = macOf(peer, peerDev);
        for (const address of [`${v4}.${host}`, `${v6}:${host}`])
          ip('-n', name, 'neigh', 'replace', address, 'lladdr', mac, 'dev', dev, 'nud', 'permanent');
      }
    }
    for (const router of [ns.r1, ns.r2])
      inNetns(router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1');
    const routes: [string, string, string][] = [
      [ns.src, '10.201.0.0/16', '10.201.1.2'],
      [ns.r1, '10.201.3.0/24', '10.201.2.2'],
      [ns.r2, '10.201.1.0/24', '10.201.2.1'],
      [ns.dst, '10.201.0.0/16', '10.201.3.1'],
      [ns.src, 'fd00:201::/32', 'fd00:201:1::2'],
      [ns.r1, 'fd00:201:3::/64', 'fd00:201:2::2'],
      [ns.r2, 'fd00:201:1::/64', 'fd00:201:2::1'],
      [ns.dst, 'fd00:201::/32', 'fd00:201:3::1'],
    ];
    for (const [name, prefix, via] of routes) ip('-n', name, 'route', 'add', prefix, 'via', via);
  } catch (error) {
    chain.destroy();
    throw error;
  }
  return chain;
}

/** Makes `ns` drop every packet it receives (nftables), until the returned function is called. */
export function dropAllInput(ns: string): () => void {
  inNetns(ns, 'nft', 'add table inet nopt; add chain inet nopt in { type filter hook input priority 0; policy drop; }');
  return () => inNetns(ns, 'nft', 'delete table inet nopt');
}

/** Makes router `ns` answer packets it would forward to `destination` with ICMP host unreachable. */
export function rejectForwardTo(ns: string, destination: string): () => void {
  inNetns(
    ns,
    'nft',
    `add table inet noptr; add chain inet noptr rej { type filter hook forward priority 0; }; add rule inet noptr rej ip daddr ${destination} reject with icmp type host-unreachable`,
  );
  return () => inNetns(ns, 'nft', 'delete table inet noptr');
}

/** The unprivileged user (nobody) a run can drop to, inside the namespace. */
export const NOBODY = 65_534;

export interface NetnsRunOptions {
  timeoutMs?: number;
  /** extra environment for the agent */
  env?: NodeJS.ProcessEnv;
  /** run the agent as this uid (and gid), without supplementary groups or capabilities */
  uid?: number;
}

/** Runs `nop-agent --config FILE --once` inside a namespace (as root, or as `uid` via setpriv). */
export function runAgentInNetns(ns: string, config: string, options: NetnsRunOptions = {}): Promise<RunOutput> {
  const { timeoutMs = 10_000, env = {}, uid } = options;
  const drop = uid === undefined ? [] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
  return runToEnd('ip', ['netns', 'exec', ns, ...drop, process.execPath, AGENT_BIN, '--config', config, '--once'], {
    env: agentEnv(env),
    timeoutMs,
  });
}
