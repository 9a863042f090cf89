import { describe, expect, it } from 'vitest';
import { naturalCompare } from './natural.ts';

describe('naturalCompare', () => {
  it('orders numbers inside names by value', () => {
    expect(['check10', 'check9', 'a', 'check1'].sort(naturalCompare)).toEqual(['a', 'check1', 'check9', 'check10']);
  });

  it('sorts 2,000 ids fast', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `icmp-127.0.${i >> 8}.${i & 255}`).reverse();
    const t = performance.now();
    ids.sort(naturalCompare);
    expect(performance.now() - t).toBeLessThan(50);
    expect(ids[0]).toBe('icmp-127.0.0.0');
  });
});
