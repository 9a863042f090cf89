import { describe, expect, it } from 'vitest';
import { AgentToBackend, CheckResult, CheckSpec, Duration, parseDuration } from './index.ts';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(Duration.parse(text)).toBe(ms);
  });

  it.each(['10', '10x', '-5s', 's', '', '0s'])('refuses %j', (text) => {
    expect(Duration.safeParse(text).success).toBe(false);
  });

  it('takes plain milliseconds too', () => {
    expect(Duration.parse(1500)).toBe(1500);
    expect(Duration.safeParse(0).success).toBe(false);
  });
});

describe('CheckSpec', () => {
  it('fills defaults per type', () => {
    expect(CheckSpec.parse({ id: 'p', type: 'icmp', target: '127.0.0.1' })).toEqual({
      id: 'p',
      type: 'icmp',
      target: '127.0.0.1',
      interval: 10_000,
      timeout: 5_000,
      count: 3,
      echoInterval: 100,
      size: 56,
      dontFragment: false,
    });
    expect(CheckSpec.parse({ id: 'h', type: 'http', target: 'http://127.0.0.1/' })).toMatchObject({
      method: 'GET',
      headers: {},
    });
  });

  it('refuses unknown fields, unknown types and targets of the wrong shape', () => {
    expect(CheckSpec.safeParse({ id: 'p', type: 'icmp', target: 'x', colour: 'red' }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: 'p', type: 'smtp', target: 'x' }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: 't', type: 'tcp', target: 'no-port' }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: 'h', type: 'http', target: 'ftp://x' }).success).toBe(false);
    expect(CheckSpec.safeParse({ id: 'Bad Id', type: 'icmp', target: 'x' }).success).toBe(false);
  });
});

describe('agent link messages', () => {
  const result = {
    id: '6f1c2a9e-0000-4000-8000-000000000000',
    checkId: 'p',
    type: 'icmp',
    target: '127.0.0.1',
    time: '2026-01-01T00:00:00.000Z',
    success: true,
    durationMs: 0.1,
    metrics: { loss_ratio: 0 },
  };

  it('accepts a result batch and refuses metric names that are not snake_case', () => {
    expect(CheckResult.parse(result)).toEqual(result);
    const batch = { type: 'results', batchId: '6f1c2a9e-0000-4000-8000-000000000001', results: [result] };
    expect(AgentToBackend.parse(batch)).toEqual(batch);
    expect(CheckResult.safeParse({ ...result, metrics: { 'Bad-Name': 1 } }).success).toBe(false);
    expect(AgentToBackend.safeParse({ ...batch, results: [] }).success).toBe(false);
  });
});

describe('DNS details of a result', () => {
  const base = {
    id: '00000000-0000-4000-8000-000000000001',
    checkId: 'dns-web',
    type: 'dns',
    target: 'web.nop.test',
    time: '2026-01-05T10:00:00Z',
    success: true,
    durationMs: 1,
  };
  const record = { name: 'web.nop.test', ttl: 60, type: 'A', data: '192.0.2.1' };

  it('are bounded: 32 records of at most 512 characters, the field named when past either', () => {
    expect(CheckResult.safeParse({ ...base, dns: { server: 's:53', answers: Array(32).fill(record) } }).success).toBe(
      true,
    );
    const tooMany = CheckResult.safeParse({ ...base, dns: { server: 's:53', answers: Array(33).fill(record) } });
    expect(tooMany.error?.issues[0]?.path).toEqual(['dns', 'answers']);
    const tooLong = CheckResult.safeParse({
      ...base,
      dns: { server: 's:53', answers: [{ ...record, data: 'x'.repeat(513) }] },
    });
    expect(tooLong.error?.issues[0]?.path).toEqual(['dns', 'answers', 0, 'data']);
    const extra = CheckResult.safeParse({ ...base, dns: { server: 's:53', answers: [], raw: 'AAAA' } });
    expect(extra.success).toBe(false);
  });
});
