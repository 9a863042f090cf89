import { describe, expect, it } from 'vitest';
import { matchesQuery } from './filter.ts';

describe('matchesQuery', () => {
  const fields = ['edge-fra-1', 'http-api', 'https://api.example.com:443/health'];

  it('matches everything on an empty query', () => {
    expect(matchesQuery('   ', fields)).toBe(true);
  });

  it('is case-insensitive and needs every word somewhere', () => {
    expect(matchesQuery('FRA', fields)).toBe(true);
    expect(matchesQuery('api 443', fields)).toBe(true);
    expect(matchesQuery('api 8443', fields)).toBe(false);
  });

  it('ignores missing fields', () => {
    expect(matchesQuery('x', [null, undefined])).toBe(false);
  });
});
