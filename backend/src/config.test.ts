import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives embedded defaults with no environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      NOP_DATA_DIR: './data',
      NOP_MANAGED_AGENT: true,
      NODE_ENV: 'development',
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('turns the managed agent off by default when DATABASE_URL is set, unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).NOP_MANAGED_AGENT).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', NOP_MANAGED_AGENT: 'true' }).NOP_MANAGED_AGENT).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: .*\(got "eighty"\)$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: /],
    [{ REDIS_URL: 'not a url' }, /^REDIS_URL: /],
    [{ NODE_ENV: 'production' }, /^JWT_SECRET: is required when NODE_ENV=production$/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET: must be at least 32 characters$/],
    [{ NOP_ADMIN_EMAIL: 'a@b.co' }, /^NOP_ADMIN_PASSWORD: /],
    [{ NOP_MANAGED_AGENT: 'maybe' }, /^NOP_MANAGED_AGENT: /],
  ])('stops with one line naming the variable for %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a secret in its error', () => {
    expect(() => loadConfig({ JWT_SECRET: 'hunter2' })).toThrow(/^JWT_SECRET: must be at least 32 characters$/);
  });
});
