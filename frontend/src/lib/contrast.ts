/**
 * WCAG 2.x contrast between two sRGB colours, for the test that keeps the theme tokens readable.
 * Colours are `#rgb` or `#rrggbb`, the form index.css declares them in.
 */
export type Rgb = readonly [number, number, number];

export function parseHex(color: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) throw new Error(`not a #rgb or #rrggbb colour: ${color}`);
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** `top` at `alpha` over an opaque `under`, as a browser composites `bg-ok/12` over a panel. */
export function over(top: Rgb, alpha: number, under: Rgb): Rgb {
  return top.map((c, i) => Math.round(c * alpha + under[i]! * (1 - alpha))) as unknown as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** From 1 (same colour) to 21 (black on white); AA asks 4.5 for text, 3 for large text and controls. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
