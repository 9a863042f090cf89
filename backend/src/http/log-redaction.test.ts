import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.ts';

describe('redactUrl', () => {
  it('blanks credentials wherever they sit, and values of secret-sounding parameters', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(redactUrl(`/api/v1/metrics?limit=${jwt}&step=60`)).toBe('/api/v1/metrics?limit=[redacted]&step=60');
    expect(redactUrl(`/api/v1/agents/nop_pat_${'a'.repeat(43)}`)).toBe('/api/v1/agents/[redacted]');
    expect(redactUrl('/x?access_token=abc&password=hunter2&agent_id=42')).toBe(
      '/x?access_token=[redacted]&password=[redacted]&agent_id=42',
    );
    expect(redactUrl('/api/v1/metrics?from=2026-01-01&to=2026-01-02')).toBe(
      '/api/v1/metrics?from=2026-01-01&to=2026-01-02',
    );
  });
});
