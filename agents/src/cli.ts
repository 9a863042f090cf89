import { parseArgs } from 'node:util';
import type { CheckResult } from '@nop/protocol';
import { startAgent } from './agent.ts';
import { closeIcmpSockets, runCheck } from './checks/index.ts';
import { checkCommand } from './cli-check.ts';
import { ConfigError, loadConfig } from './config.ts';
import { loadDotEnv } from './env.ts';
import { createLogger } from './log.ts';
import { AGENT_VERSION } from './version.ts';

const HELP = `nop-agent ${AGENT_VERSION} — NOP network probe agent

Usage:
  nop-agent --config FILE          run the agent (standalone, or linked to a backend)
  nop-agent --config FILE --once   run every check of FILE once, print one JSON result per line,
                                   exit 0 if all succeeded, 1 otherwise
  nop-agent                        run linked to a backend configured by the environment alone
  nop-agent check TYPE TARGET ...  run one check now, print it like ping/curl/dig (check --help)
  nop-agent --help | --version

Options:
  -c, --config FILE   YAML config: name, backend, token, listen, checks
      --once          run the checks once and exit
  -h, --help          this text
  -v, --version       print the version

Environment (overrides the file; agents/.env is read when present):
  NOP_BACKEND_URL     backend base URL, e.g. http://localhost:8080 (the backend's config then rules);
                      several comma-separated URLs (or a name with several addresses) = failover
  NOP_AGENT_TOKEN     agent token for the backend link
  NOP_AGENT_NAME      agent name (metrics label); default the host name
  NOP_AGENT_LISTEN    host:port of /health and /metrics; default 127.0.0.1:9101 (port 0 = any)
  NOP_AGENT_MANAGED   1 = exit when stdin closes (for an agent run as a child of the backend)
  NOP_AGENT_SPOOL_DIR keep unacked results on disk here (survives outages, restarts, kill -9)
  NOP_AGENT_SPOOL_FSYNC  interval (default: ≤ 100 ms of results lost on a power cut), always, never
  NOP_AGENT_CONTROL_TOKEN  enables PUT /config and POST /commands on the status port
  PROM_PUSHGATEWAY    push metrics to this Pushgateway
  REDIS_URL           publish results to Redis, take commands from <prefix>:agent:<name>:commands
  SIGHUP              re-reads --config FILE (a bad file is refused; the running checks stay)
  LOG_LEVEL           pino level (info); logs go to stderr

Exit codes: 0 ok, 1 a check failed (--once) or a runtime error, 2 bad usage or config.
`;

export async function main(argv: string[]): Promise<number | undefined> {
  loadDotEnv();
  if (argv[0] === 'check') return checkCommand(argv.slice(1));
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        once: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`nop-agent: ${(error as Error).message.split('\n')[0]} (see --help)\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  if (args.once && !args.config) {
    process.stderr.write('nop-agent: --once needs --config FILE (see --help)\n');
    return 2;
  }

  let settings;
  try {
    settings = loadConfig({ file: args.config });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const log = createLogger().child({ agent: settings.name });
  return args.once ? runOnce(settings.checks) : runForever(settings, log);
}

async function runOnce(checks: Parameters<typeof runCheck>[0][]): Promise<number> {
  const results: CheckResult[] = [];
  const queue = checks.map((spec, index) => ({ spec, index }));
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) results[job.index] = await runCheck(job.spec);
  };
  await Promise.all(Array.from({ length: Math.min(16, checks.length) }, worker));
  closeIcmpSockets();
  for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
  return results.every((r) => r.success) ? 0 : 1;
}

async function runForever(
  settings: ReturnType<typeof loadConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<undefined> {
  let agent;
  try {
    agent = await startAgent(settings, log);
  } catch (error) {
    log.fatal({ err: error }, 'agent failed to start');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) {
      log.warn(`${why} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${why}: stopping`);
    agent
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => agent?.reloadFile());
  if (process.env.NOP_AGENT_MANAGED === '1') {
    // The backend holds our stdin: when it goes away (even by crashing) so must we.
    let orphanedOnce = false;
    const orphaned = () => {
      if (orphanedOnce) return; // 'end' and 'close' both come
      orphanedOnce = true;
      shutdown('stdin closed (managed agent)');
    };
    process.stdin.on('end', orphaned);
    process.stdin.on('close', orphaned);
    process.stdin.on('error', orphaned);
    process.stdin.resume();
  }
  return undefined;
}

const code = await main(process.argv.slice(2));
if (code !== undefined) {
  process.exitCode = code;
  // A stray handle must not keep a finished command alive.
  setTimeout(() => process.exit(code), 1000).unref();
}
