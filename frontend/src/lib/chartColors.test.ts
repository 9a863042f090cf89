import { describe, expect, it } from 'vitest';
import { parseColor, rgba, seriesPalette } from './chartColors.ts';

describe('chart colours', () => {
  it('parses the colour forms CSS variables come in', () => {
    expect(parseColor('#38bdf8')).toEqual([56, 189, 248]);
    expect(parseColor(' #3BF ')).toEqual([51, 187, 255]);
    expect(parseColor('#38bdf880')).toEqual([56, 189, 248]);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseColor('rgb(1 2 3 / 50%)')).toEqual([1, 2, 3]);
    expect(parseColor('oklch(0.7 0.1 200)')).toBeNull();
  });

  it('writes rgb and rgba', () => {
    expect(rgba([1, 2, 3])).toBe('rgb(1,2,3)');
    expect(rgba([1, 2, 3], 0.25)).toBe('rgba(1,2,3,0.25)');
  });

  it('starts the agent palette with the accent and keeps the colours apart', () => {
    const accent = [56, 189, 248] as const;
    const palette = seriesPalette(accent, 6);
    expect(palette[0]).toEqual(accent);
    expect(new Set(palette.map((c) => c.join())).size).toBe(6);
    for (const c of palette) for (const v of c) expect(v).toBeGreaterThanOrEqual(0);
    // a grey accent still gives colours
    const grey = seriesPalette([128, 128, 128], 3);
    expect(new Set(grey.map((c) => c.join())).size).toBe(3);
  });
});
