import type { CheckResult, CheckType } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { RESULT_MAX_AGE_MS, RESULT_MAX_AHEAD_MS, screenResults } from './screen.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const checks = new Map<string, CheckType>([
  ['ping', 'icmp'],
  ['named.trace', 'http'], // a check whose own id ends in .trace is itself, not a diagnostic
]);
const result = (checkId: string, type: CheckType, offsetMs = 0) =>
  ({
    id: `00000000-0000-4000-8000-${String(Math.abs(offsetMs) % 1e12).padStart(12, '0')}`,
    checkId,
    type,
    time: new Date(NOW + offsetMs).toISOString(),
  }) as CheckResult;
const screen = (r: CheckResult) => screenResults([r], (id) => checks.get(id), NOW);

describe('screenResults', () => {
  it("accepts the agent's checks with their type, and their diagnostic traceroutes", () => {
    expect(screen(result('ping', 'icmp')).rejected).toEqual([]);
    expect(screen(result('ping.trace', 'traceroute')).rejected).toEqual([]);
    expect(screen(result('named.trace', 'http')).rejected).toEqual([]);
  });

  it('refuses other checks, other types, and times out of the window, with the reason', () => {
    expect(screen(result('other', 'icmp')).rejected[0]!.reason).toBe(`check "other" is not in this agent's config`);
    expect(screen(result('ping', 'http')).rejected[0]!.reason).toBe('check "ping" has type icmp, not http');
    expect(screen(result('named.trace', 'traceroute')).rejected[0]!.reason).toBe(
      'check "named.trace" has type http, not traceroute',
    );
    expect(screen(result('ping', 'icmp', RESULT_MAX_AHEAD_MS + 1000)).rejected[0]!.reason).toMatch(/301 s ahead/);
    expect(screen(result('ping', 'icmp', RESULT_MAX_AHEAD_MS - 1000)).rejected).toEqual([]);
    expect(screen(result('ping', 'icmp', -RESULT_MAX_AGE_MS - 1000)).rejected[0]!.reason).toMatch(/older than/);
    expect(screen(result('ping', 'icmp', -RESULT_MAX_AGE_MS + 60_000)).rejected).toEqual([]);
  });
});
