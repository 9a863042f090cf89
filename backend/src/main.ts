import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { LOG_SETTINGS } from './http/log-redaction.ts';
import { startPlatform } from './platform.ts';

// Entry point: parse config, start, print where to go, stop everything on Ctrl-C / SIGTERM.
// backend/.env (copied from .env.example) when present; variables already in the environment win.
const dotenv = fileURLToPath(new URL('../.env', import.meta.url));
if (existsSync(dotenv)) process.loadEnvFile(dotenv);

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`nop: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const logger = pino({ level: config.LOG_LEVEL, ...LOG_SETTINGS });
const platform = await startPlatform(config, logger).catch((error: Error) => {
  logger.fatal({ err: error }, 'start failed');
  console.error(`nop: could not start: ${error.message}`);
  process.exit(1);
});

const mode = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.NOP_DATA_DIR}`;
const loopbackOnly = /^(127\.|::1$|localhost$)/.test(config.HOST);
const reach = loopbackOnly
  ? `listening on ${config.HOST} only (this machine); set HOST=0.0.0.0 to let other machines and agents in`
  : `listening on ${config.HOST}: reachable from other machines`;
console.log(
  `\n  NOP is running — open ${platform.url}\n  ${reach}\n` +
    `  store: ${mode}; bus: ${config.REDIS_URL ? 'Redis' : 'in-process'}; ` +
    `sign-up: ${config.NOP_SIGNUP === 'open' ? 'open to anyone' : 'first account only, then by invitation'}\n`,
);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await platform.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
