import { useMemo, useSyncExternalStore } from 'react';
import { createPreference, usePreference } from './preference.ts';

/**
 * Light and dark themes. The colours live in index.css as CSS variables (`--color-<token>`) that
 * `html[data-theme]` switches; this module picks the theme (the user's choice, or the system's
 * while the choice is "system"), sets the attribute, and tells canvas code (charts) which colours
 * to draw with, since a canvas cannot use CSS variables.
 */
export type Theme = 'light' | 'dark';
export type ThemeChoice = 'system' | Theme;

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
/** Stored as "nop.theme", which public/theme-boot.js reads before the first paint. */
export const themeChoice = createPreference<ThemeChoice>('nop.theme', THEME_CHOICES, 'system');

/** The theme a choice means; `systemDark` is the browser's prefers-color-scheme. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice !== 'system') return choice;
  return systemDark ? 'dark' : 'light';
}

const lightQuery = () =>
  typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: light)') : null;
// dark unless the system asks for light: the palette the app was designed in (as public/theme-boot.js)
const currentTheme = (): Theme => resolveTheme(themeChoice.get(), !lightQuery()?.matches);

let applied: Theme = 'dark';
const listeners = new Set<() => void>();

function apply(): void {
  const theme = currentTheme();
  const root = document.documentElement;
  if (root.dataset.theme !== theme) {
    // switch at once: fields and buttons would otherwise fade through grey (their colour transitions)
    root.classList.add('theme-switching');
    requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove('theme-switching')));
  }
  root.dataset.theme = theme;
  // the browser UI (address bar on phones) follows the page
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', tokenColor('bg'));
  if (theme === applied) return;
  applied = theme;
  listeners.forEach((l) => l());
}

/**
 * Called once from main.tsx before the first render; then follows the choice (from the menu or
 * another tab) and the system setting. The first paint already has the theme: public/theme-boot.js,
 * loaded by index.html before anything else, sets it the same way (keep the two in step).
 */
export function installTheme(): void {
  applied = currentTheme();
  apply();
  themeChoice.subscribe(apply);
  lightQuery()?.addEventListener('change', apply);
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The theme in use, the user's choice, and the way to change it. */
export function useTheme(): { theme: Theme; choice: ThemeChoice; setChoice: (choice: ThemeChoice) => void } {
  const theme = useSyncExternalStore(subscribe, () => applied);
  const choice = usePreference(themeChoice);
  return { theme, choice, setChoice: themeChoice.set };
}

/** A token's colour as the page uses it now ("accent" → "#38bdf8"); "" before the stylesheet loads. */
export function tokenColor(token: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--color-${token}`).trim();
}

/**
 * Token colours for canvas drawing, read again whenever the theme changes: pass them to the chart
 * and redraw when the object changes. `tokens` must be a constant (it is read once per theme).
 */
export function useTokenColors<K extends string>(tokens: readonly K[]): Record<K, string> {
  const { theme } = useTheme();
  // keyed on the theme, not the tokens: the values live in CSS and change only with the theme
  return useMemo(() => Object.fromEntries(tokens.map((t) => [t, tokenColor(t)])) as Record<K, string>, [theme]);
}

/** `#rrggbb` (or `#rgb`) at an opacity, for canvas fills under a line; other colour syntaxes pass through. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return color;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
