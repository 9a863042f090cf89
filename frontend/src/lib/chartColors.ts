/**
 * Chart colours come from the theme's CSS variables (--color-accent, …) so a theme switch recolours
 * the canvas too. Canvas needs concrete colours, so the browser resolves each variable to RGB once
 * (see hooks/useCheckChartColors.ts) and these pure helpers derive the rest: translucent fills and
 * one distinct colour per agent, turned from the accent's hue so they sit in the same palette.
 */
export type Rgb = readonly [number, number, number];

export const rgba = ([r, g, b]: Rgb, alpha = 1): string =>
  alpha >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;

/** "#38bdf8", "#3bf", "rgb(56, 189, 248)"; null for anything else (the browser resolves those). */
export function parseColor(text: string): Rgb | null {
  const value = text.trim().toLowerCase();
  let match = /^#([0-9a-f]{3})$/.exec(value);
  if (match) return [...match[1]!].map((c) => parseInt(c + c, 16)) as unknown as Rgb;
  match = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(value);
  if (match) return [0, 2, 4].map((i) => parseInt(match![1]!.slice(i, i + 2), 16)) as unknown as Rgb;
  match = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(value);
  if (match) return [Number(match[1]), Number(match[2]), Number(match[3])];
  return null;
}

function rgbToHsl([r, g, b]: Rgb): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === rn ? (gn - bn) / d + (gn < bn ? 6 : 0) : max === gn ? (bn - rn) / d + 2 : (rn - gn) / d + 4;
  return [h * 60, s, l];
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

/** Golden-angle steps from the accent: neighbours differ most, and any count of agents works. */
export function seriesPalette(accent: Rgb, count: number): Rgb[] {
  const [h, s, l] = rgbToHsl(accent);
  // a grey accent would give greys only: lend it some saturation
  const sat = Math.max(s, 0.55);
  return Array.from({ length: count }, (_, i) => (i === 0 ? accent : hslToRgb((h + i * 137.508) % 360, sat, l)));
}

/** The theme variables charts use. */
export const CHART_TOKENS = ['bg', 'panel', 'line', 'fg', 'muted', 'faint', 'accent', 'ok', 'warn', 'bad'] as const;
export type ChartToken = (typeof CHART_TOKENS)[number];
export type ChartTheme = Record<ChartToken, Rgb>;

/** The dark theme's values: used until the browser has resolved the variables (and in tests). */
export const FALLBACK_THEME: ChartTheme = {
  bg: [11, 15, 20],
  panel: [17, 22, 29],
  line: [34, 43, 54],
  fg: [219, 227, 236],
  muted: [154, 166, 181],
  faint: [126, 138, 154],
  accent: [56, 189, 248],
  ok: [52, 211, 153],
  warn: [251, 191, 36],
  bad: [248, 113, 113],
};
