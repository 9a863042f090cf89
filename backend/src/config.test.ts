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
      // embedded: this machine only, sign-up closed after the first account
      HOST: '127.0.0.1',
      NOP_SIGNUP: 'closed',
      NOP_SIGNUP_ROLE: 'viewer',
      NOP_MAX_CONNECTIONS_PER_ADDRESS: 256,
      NOP_MIN_CHECK_INTERVAL: 1000,
    });
    expect(loadConfig({ NOP_MIN_CHECK_INTERVAL: '30s' }).NOP_MIN_CHECK_INTERVAL).toBe(30_000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('turns the managed agent off by default when DATABASE_URL is set, unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).NOP_MANAGED_AGENT).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', NOP_MANAGED_AGENT: 'true' }).NOP_MANAGED_AGENT).toBe(true);
  });

  it('listens on every interface by default in production shape, and lifts the connection cap behind a proxy', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ NOP_TRUST_PROXY: 'true' }).NOP_MAX_CONNECTIONS_PER_ADDRESS).toBe(0);
    expect(loadConfig({ NOP_MAX_CONNECTIONS_PER_ADDRESS: '10' }).NOP_MAX_CONNECTIONS_PER_ADDRESS).toBe(10);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT: .*\(got "eighty"\)$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: /],
    [{ REDIS_URL: 'not a url' }, /^REDIS_URL: /],
    [{ NODE_ENV: 'production' }, /^JWT_SECRET: is required when NODE_ENV=production$/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(32) }, /^NOP_SECRET_KEY: is required when NODE_ENV=production/],
    [{ NOP_SECRET_KEY: 'short' }, /^NOP_SECRET_KEY: must be at least 32 characters/],
    [{ NOP_SIGNUP: 'maybe' }, /^NOP_SIGNUP: /],
    [{ NOP_SIGNUP_ROLE: 'admin' }, /^NOP_SIGNUP_ROLE: /],
    [{ NOP_MAX_AGENTS_PER_USER: '0' }, /^NOP_MAX_AGENTS_PER_USER: must be a whole number from 1/],
    [{ NOP_REQUEST_TIMEOUT: '1e9' }, /^NOP_REQUEST_TIMEOUT: /],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET: must be at least 32 characters$/],
    [{ NOP_ADMIN_EMAIL: 'a@b.co' }, /^NOP_ADMIN_PASSWORD: /],
    [{ NOP_MANAGED_AGENT: 'maybe' }, /^NOP_MANAGED_AGENT: /],
    [{ NOP_MIN_CHECK_INTERVAL: '500ms' }, /^NOP_MIN_CHECK_INTERVAL: must be a duration from 1s/],
    [{ NOP_MIN_CHECK_INTERVAL: 'often' }, /^NOP_MIN_CHECK_INTERVAL: /],
  ])('stops with one line naming the variable for %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a secret in its error', () => {
    expect(() => loadConfig({ JWT_SECRET: 'hunter2' })).toThrow(/^JWT_SECRET: must be at least 32 characters$/);
  });
});
