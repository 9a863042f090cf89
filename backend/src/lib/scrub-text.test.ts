import { describe, expect, it } from 'vitest';
import { scrubText } from './scrub-text.ts';

describe('scrubText', () => {
  it('replaces NUL and lone surrogates anywhere in a value, keeps pairs and everything else', () => {
    const input = { error: 'got \u0000\u0000 bytes', trace: [{ name: 'a\ud800' }], ok: 'rocket \ud83d\ude80', n: 3 };
    expect(scrubText(input)).toEqual({
      error: 'got \uFFFD\uFFFD bytes',
      trace: [{ name: 'a\uFFFD' }],
      ok: 'rocket \ud83d\ude80',
      n: 3,
    });
    expect(scrubText({ ['k\u0000']: 1 })).toEqual({ 'k\uFFFD': 1 });
  });
});
