import { MIN_CHECK_INTERVAL_MS, parseDuration } from '@nop/protocol';
import { z } from 'zod';

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting the backend reads from the environment, parsed once at start. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    // embedded mode answers this machine only unless told otherwise; production defaults to every interface
    HOST: z.string().min(1).optional(),
    PORT: z.coerce.number({ error: 'must be a port number (0-65535)' }).int().min(0).max(65535).default(8080),
    NOP_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    NOP_BUS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]+$/)
      .default('nop'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    // encrypts write-only check settings at rest (AES-256-GCM); any string of 32+ characters
    NOP_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
    NOP_TOKEN_TTL: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(12 * 3600),
    NOP_ADMIN_EMAIL: z.email().optional(),
    NOP_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    NOP_MANAGED_AGENT: bool.optional(),
    NOP_SIGNUP: z.enum(['open', 'closed']).default('closed'),
    // the role of accounts made by open sign-up (the first account is always admin)
    NOP_SIGNUP_ROLE: z.enum(['viewer', 'editor']).default('viewer'),
    NOP_AUTH_RATE_LIMIT: int(1, 100_000).default(20),
    // failed logins one account may take in 15 minutes before it answers 429
    NOP_ACCOUNT_LOGIN_LIMIT: int(1, 10_000).default(10),
    // password hashes computed at once (each ~20 ms of one core and 19 MiB); default: cores - 1, at most 4
    NOP_HASH_CONCURRENCY: int(1, 64).optional(),
    NOP_MAX_AGENTS_PER_USER: int(1, 1_000_000).default(100),
    NOP_MAX_CHECKS_PER_AGENT: int(1, 10_000).default(1_000),
    // the shortest check interval this server accepts (the protocol's floor is 1 s)
    NOP_MIN_CHECK_INTERVAL: z
      .string()
      .default('1s')
      .transform((text, ctx) => {
        const ms = parseDuration(text);
        if (ms === undefined || ms < MIN_CHECK_INTERVAL_MS || ms > 86_400_000) {
          ctx.addIssue({ code: 'custom', message: 'must be a duration from 1s to 24h, like 1s, 10s, 1m' });
          return z.NEVER;
        }
        return ms;
      }),
    // 0 = no cap (set by default behind a proxy, where every client shares the proxy's address)
    NOP_MAX_CONNECTIONS_PER_ADDRESS: int(0, 1_000_000).optional(),
    // seconds within which a request's headers and body must have arrived
    NOP_REQUEST_TIMEOUT: int(1, 3600).default(10),
    // seconds a replica's hold on its agents' status lasts unrenewed: a dead replica's agents turn
    // offline within about this (renewed every third of it)
    NOP_AGENT_LEASE: int(3, 300).default(15),
    // days of raw results kept: whole days' partitions are dropped past it, and results older than
    // it are refused when an agent sends them
    NOP_RETENTION_RAW: int(1, 3650).default(14),
    NOP_PUBLIC_URL: z.url().optional(),
    // Only behind a reverse proxy: otherwise anyone could pick their address (and dodge rate limits)
    NOP_TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    if (env.NODE_ENV === 'production' && !env.NOP_SECRET_KEY)
      ctx.addIssue({
        code: 'custom',
        path: ['NOP_SECRET_KEY'],
        message: 'is required when NODE_ENV=production (the same on every replica)',
      });
    if (!!env.NOP_ADMIN_EMAIL !== !!env.NOP_ADMIN_PASSWORD)
      ctx.addIssue({
        code: 'custom',
        path: [env.NOP_ADMIN_EMAIL ? 'NOP_ADMIN_PASSWORD' : 'NOP_ADMIN_EMAIL'],
        message: 'NOP_ADMIN_EMAIL and NOP_ADMIN_PASSWORD go together',
      });
  });

export type Config = Omit<
  z.infer<typeof EnvSchema>,
  'NOP_MANAGED_AGENT' | 'HOST' | 'NOP_MAX_CONNECTIONS_PER_ADDRESS'
> & {
  /** embedded mode runs one local agent as a child process; production (DATABASE_URL) does not by default */
  NOP_MANAGED_AGENT: boolean;
  HOST: string;
  NOP_MAX_CONNECTIONS_PER_ADDRESS: number;
};

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = name in cleaned && !/SECRET|PASSWORD|URL/.test(name) ? ` (got "${cleaned[name]}")` : '';
    throw new ConfigError(`${name}: ${issue.message}${value}`);
  }
  const config = parsed.data;
  return {
    ...config,
    NOP_MANAGED_AGENT: config.NOP_MANAGED_AGENT ?? !config.DATABASE_URL,
    HOST: config.HOST ?? (config.DATABASE_URL ? '0.0.0.0' : '127.0.0.1'),
    NOP_MAX_CONNECTIONS_PER_ADDRESS: config.NOP_MAX_CONNECTIONS_PER_ADDRESS ?? (config.NOP_TRUST_PROXY ? 0 : 256),
  };
}
