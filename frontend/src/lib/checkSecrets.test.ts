import { maskCheckSecrets, SECRET_MASK, type CheckSpec } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { isMasked, secretsSet } from './checkSecrets.ts';

const http = (extra: Partial<CheckSpec & { type: 'http' }>): CheckSpec =>
  ({
    id: 'api',
    type: 'http',
    target: 'https://api.example.test/health',
    interval: 10_000,
    timeout: 5_000,
    method: 'GET',
    headers: {},
    maxRedirects: 5,
    tlsVerify: true,
    ...extra,
  }) as CheckSpec;

describe('check secrets', () => {
  it('names the write-only settings of a check as the API shows it', () => {
    const check = maskCheckSecrets(
      http({
        headers: { Authorization: 'Bearer x', 'X-Trace': '1' },
        body: '{}',
        basicAuth: { username: 'u', password: 'p' },
      }),
    );
    expect(secretsSet(check)).toEqual([
      'Authorization header',
      'X-Trace header',
      'request body',
      'basic-auth password',
    ]);
  });

  it('finds none on a plain check or a check of another type', () => {
    expect(secretsSet(http({}))).toEqual([]);
    expect(secretsSet({ id: 'p', type: 'icmp', target: 'h' } as CheckSpec)).toEqual([]);
  });

  it('recognises the mask, which a check keeps when sent back unchanged', () => {
    const masked = maskCheckSecrets(http({ headers: { Authorization: 'Bearer x' } }));
    expect(isMasked((masked as { headers: Record<string, string> }).headers.Authorization)).toBe(true);
    // the editor sends the list it got, so the mask goes back and the server keeps the stored value
    expect(JSON.parse(JSON.stringify([masked]))[0].headers.Authorization).toBe(SECRET_MASK);
    expect(isMasked('Bearer x')).toBe(false);
  });
});
