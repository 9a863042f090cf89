import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting the backend reads from the environment, parsed once at start. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number({ error: 'must be a port number (0-65535)' }).int().min(0).max(65535).default(8080),
    NOP_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    NOP_BUS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]+$/)
      .default('nop'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    NOP_TOKEN_TTL: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(12 * 3600),
    NOP_ADMIN_EMAIL: z.email().optional(),
    NOP_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    NOP_MANAGED_AGENT: bool.optional(),
    NOP_SIGNUP: z.enum(['open', 'closed']).default('open'),
    NOP_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
    NOP_PUBLIC_URL: z.url().optional(),
    // Only behind a reverse proxy: otherwise anyone could pick their address (and dodge rate limits)
    NOP_TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    if (!!env.NOP_ADMIN_EMAIL !== !!env.NOP_ADMIN_PASSWORD)
      ctx.addIssue({
        code: 'custom',
        path: [env.NOP_ADMIN_EMAIL ? 'NOP_ADMIN_PASSWORD' : 'NOP_ADMIN_EMAIL'],
        message: 'NOP_ADMIN_EMAIL and NOP_ADMIN_PASSWORD go together',
      });
  });

export type Config = Omit<z.infer<typeof EnvSchema>, 'NOP_MANAGED_AGENT'> & {
  /** embedded mode runs one local agent as a child process; production (DATABASE_URL) does not by default */
  NOP_MANAGED_AGENT: boolean;
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
  return { ...config, NOP_MANAGED_AGENT: config.NOP_MANAGED_AGENT ?? !config.DATABASE_URL };
}
