import { CheckId } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { suggestCheckId } from './checkId.ts';

describe('suggestCheckId', () => {
  it('makes a readable id from type and target', () => {
    expect(suggestCheckId('icmp', '1.1.1.1')).toBe('icmp-1.1.1.1');
    expect(suggestCheckId('http', 'https://API.example.com/health?x=1')).toBe('http-api.example.com-health-x-1');
    // "::" stays "--": squeezed, 2001:db8::1 and 2001:db8:1:: would share an id
    expect(suggestCheckId('tcp', '[2001:db8::1]:443')).toBe('tcp-2001-db8--1-443');
  });

  it('always satisfies the protocol CheckId rule, even for long or odd targets', () => {
    for (const target of ['https://' + 'a'.repeat(200) + '.com', '---', '   ', 'ÄÖÜ.example', 'x_']) {
      const id = suggestCheckId('dns', target);
      expect(CheckId.safeParse(id).success, id).toBe(true);
      expect(id.length).toBeLessThanOrEqual(64);
    }
  });
});
