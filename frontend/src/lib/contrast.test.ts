import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, over, parseHex, type Rgb } from './contrast.ts';

/**
 * The theme tokens of index.css against WCAG 2.1 AA, in both themes: a colour change that makes
 * some text unreadable fails here, before anyone ships it. The pairs are the ones the components
 * use: text tokens on the three surfaces (and on a hovered row or a table header), status text on
 * its own tinted badge, button text on its fill, and control borders and the focus ring (3:1).
 */
const css = readFileSync(new URL('../index.css', import.meta.url), 'utf8');

/** The `--color-*` declarations in the first block after `opener`. */
function tokensAfter(opener: string): Record<string, string> {
  const start = css.indexOf(opener);
  if (start < 0) throw new Error(`index.css has no ${opener}`);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--color-([\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const dark = tokensAfter('@theme {');
const light = tokensAfter(":root[data-theme='light'] {");
const themes = { dark, light };

const TEXT = ['fg', 'muted', 'faint', 'accent', 'ok', 'warn', 'bad'];
const SURFACES = ['bg', 'panel', 'panel-2'];
const TONES = ['accent', 'ok', 'warn', 'bad'];

/** Every pair below `min`, as "muted on panel-2: 4.21" lines, so a failure names them all. */
function failures(pairs: Array<[string, Rgb, Rgb]>, min: number): string[] {
  return pairs.flatMap(([name, fg, bg]) => {
    const ratio = contrastRatio(fg, bg);
    return ratio < min ? [`${name}: ${ratio.toFixed(2)} < ${min}`] : [];
  });
}

describe.each(Object.entries(themes))('the %s theme', (_name, tokens) => {
  const c = (token: string) => parseHex(tokens[token] ?? `missing --color-${token}`);
  // the surfaces text sits on: plain, a hovered table row (panel-2/60), a table header (panel-2/50)
  const surfaces: Array<[string, Rgb]> = [
    ...SURFACES.map((s): [string, Rgb] => [s, c(s)]),
    ['a hovered row', over(c('panel-2'), 0.6, c('panel'))],
    ['a table header', over(c('panel-2'), 0.5, c('panel'))],
  ];

  it('gives every text token 4.5:1 on every surface', () => {
    const pairs = TEXT.flatMap((t) => surfaces.map(([s, bg]): [string, Rgb, Rgb] => [`${t} on ${s}`, c(t), bg]));
    expect(failures(pairs, 4.5)).toEqual([]);
  });

  it('keeps status text readable on its own tinted badge, and button text on its fill', () => {
    const pairs: Array<[string, Rgb, Rgb]> = [
      ...TONES.flatMap((t) =>
        SURFACES.map((s): [string, Rgb, Rgb] => [`${t} on ${t}/12 over ${s}`, c(t), over(c(t), 0.12, c(s))]),
      ),
      ['muted on faint/15 over panel-2 (neutral badge)', c('muted'), over(c('faint'), 0.15, c('panel-2'))],
      ['accent-fg on accent (primary button)', c('accent-fg'), c('accent')],
      ['bad-fg on bad (danger button)', c('bad-fg'), c('bad')],
    ];
    expect(failures(pairs, 4.5)).toEqual([]);
  });

  it('gives control borders and the focus ring 3:1 on every surface', () => {
    const pairs = ['line-strong', 'accent'].flatMap((t) =>
      SURFACES.map((s): [string, Rgb, Rgb] => [`${t} on ${s}`, c(t), c(s)]),
    );
    expect(failures(pairs, 3)).toEqual([]);
  });
});

describe('the token declarations', () => {
  it('give the light theme every colour the dark one has, so nothing stays dark', () => {
    expect(Object.keys(light).sort()).toEqual(Object.keys(dark).sort());
  });
});
