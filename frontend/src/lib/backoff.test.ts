import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles per attempt within the jitter band', () => {
    expect(backoffDelay(0, 500, 15_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 15_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 15_000, () => 0)).toBe(2000);
    expect(backoffDelay(3, 500, 15_000, () => 1)).toBe(4000);
  });

  it('is capped however many attempts failed', () => {
    expect(backoffDelay(50, 500, 15_000, () => 1)).toBe(15_000);
    expect(backoffDelay(50, 500, 15_000, () => 0)).toBe(7_500);
  });
});
