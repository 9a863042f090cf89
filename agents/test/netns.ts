import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

/**
 * (ICMP prober tests — owner: the icmp tests; the traceroute helper is traceroute-netns.ts.)
 *
 * Throw-away network namespaces for tests that need a real path with real loss: a veth pair
 * from the root namespace to a namespace `nopl-<pid>-<tag>` holding the test host. Everything
 * is named after the creating process so stale leftovers (a killed run) can be told apart from
 * a concurrent run's and removed.
 */

export const NETNS_PREFIX = 'nopl-';

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Root, with `ip` and `nft`, and allowed to make namespaces. */
export function netnsUsable(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = `${NETNS_PREFIX}${process.pid}-probe`;
  try {
    run('nft', ['--version']);
    run('ip', ['netns', 'add', probe]);
    run('ip', ['netns', 'del', probe]);
    return true;
  } catch {
    return false;
  }
}

/** Deletes namespaces left by runs whose process is gone (their veth pairs go with them). */
export function removeStaleNamespaces(): void {
  let list: string;
  try {
    list = run('ip', ['netns', 'list']);
  } catch {
    return;
  }
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = /^nopl-(\d+)-/.exec(name);
    if (match && !alive(Number(match[1]))) {
      try {
        run('ip', ['netns', 'del', name]);
      } catch {
        // already gone
      }
    }
  }
}

export interface TestNet {
  /** the namespace holding the test host */
  ns: string;
  /** the root namespace's end of the veth pair */
  rootIf: string;
  /** our address (root namespace) and the test host's (inside `ns`) */
  local: string;
  remote: string;
  /** runs a command inside the namespace */
  exec(args: string[], input?: string): string;
  /** replaces the namespace's nftables ruleset (`nft -f -` syntax; '' = none) */
  nft(ruleset: string): void;
  destroy(): void;
}

let made = 0;

/** A /30 from 100.64.0.0/10 between the root namespace and a fresh namespace. */
export function createTestNet(tag: string): TestNet {
  const n = made++;
  const ns = `${NETNS_PREFIX}${process.pid}-${tag}`;
  const base = `nl${process.pid.toString(36)}${n}`;
  const rootIf = `${base}r`;
  const peerIf = `${base}d`;
  const prefix = `100.${64 + randomInt(0, 64)}.${randomInt(0, 256)}`;
  const host = randomInt(0, 64) * 4;
  const local = `${prefix}.${host + 1}`;
  const remote = `${prefix}.${host + 2}`;
  const inNs = (args: string[], input?: string) => run('ip', ['netns', 'exec', ns, ...args], input);
  const destroy = () => {
    for (const args of [
      ['link', 'del', rootIf],
      ['netns', 'del', ns],
    ]) {
      try {
        run('ip', args);
      } catch {
        // already gone
      }
    }
  };
  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', rootIf, 'type', 'veth', 'peer', 'name', peerIf, 'netns', ns]);
    run('ip', ['addr', 'add', `${local}/30`, 'dev', rootIf]);
    run('ip', ['link', 'set', rootIf, 'up']);
    inNs(['ip', 'addr', 'add', `${remote}/30`, 'dev', peerIf]);
    inNs(['ip', 'link', 'set', peerIf, 'up']);
    inNs(['ip', 'link', 'set', 'lo', 'up']);
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    ns,
    rootIf,
    local,
    remote,
    exec: inNs,
    nft: (ruleset) => {
      inNs(['nft', 'flush', 'ruleset']);
      if (ruleset.trim()) inNs(['nft', '-f', '-'], ruleset);
    },
    destroy,
  };
}

/** An empty namespace (loopback up) for a child process that pings inside it. */
export function createEmptyNamespace(tag: string): {
  ns: string;
  exec: (args: string[]) => string;
  destroy: () => void;
} {
  const ns = `${NETNS_PREFIX}${process.pid}-${tag}`;
  run('ip', ['netns', 'add', ns]);
  const exec = (args: string[]) => run('ip', ['netns', 'exec', ns, ...args]);
  const destroy = () => {
    try {
      run('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  };
  try {
    exec(['ip', 'link', 'set', 'lo', 'up']);
  } catch (error) {
    destroy();
    throw error;
  }
  return { ns, exec, destroy };
}
