import { describe, expect, it } from 'vitest';
import { resolveTheme, withAlpha } from './theme.ts';

describe('resolveTheme', () => {
  it('follows the system while the choice is "system", else the choice', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

describe('withAlpha', () => {
  it('turns a token colour into a translucent canvas fill', () => {
    expect(withAlpha('#38bdf8', 0.1)).toBe('rgba(56, 189, 248, 0.1)');
    expect(withAlpha('#fff', 0.5)).toBe('rgba(255, 255, 255, 0.5)');
  });
  it('passes colours it cannot read through unchanged', () => {
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgb(1, 2, 3)');
    expect(withAlpha('', 0.5)).toBe('');
  });
});
