import { useMemo } from 'react';
import {
  CHART_TOKENS,
  FALLBACK_THEME,
  parseColor,
  seriesPalette,
  type ChartTheme,
  type Rgb,
} from '../lib/chartColors.ts';
import { useTokenColors } from '../lib/theme.ts';

export interface CheckChartTheme {
  colors: ChartTheme;
  /** one colour per agent, by agent id; agents not listed get the colours after the listed ones */
  agentColor: (agentId: string) => Rgb;
}

/**
 * The check page's chart colours, from the theme's CSS variables (re-read when the theme changes),
 * and a stable colour per agent: the order of `agentIds` (the check's agents by name) decides it,
 * so an agent keeps its colour on every chart of the page.
 */
export function useCheckChartTheme(agentIds: readonly string[]): CheckChartTheme {
  const tokens = useTokenColors(CHART_TOKENS);
  const key = agentIds.join(',');
  return useMemo(() => {
    const colors = Object.fromEntries(
      CHART_TOKENS.map((t) => [t, parseColor(tokens[t]) ?? FALLBACK_THEME[t]]),
    ) as ChartTheme;
    const known = key ? key.split(',') : [];
    const extra: string[] = [];
    let palette = seriesPalette(colors.accent, Math.max(known.length, 1));
    const agentColor = (agentId: string): Rgb => {
      let index = known.indexOf(agentId);
      if (index === -1) {
        if (!extra.includes(agentId)) extra.push(agentId);
        index = known.length + extra.indexOf(agentId);
      }
      if (index >= palette.length) palette = seriesPalette(colors.accent, index + 4);
      return palette[index]!;
    };
    return { colors, agentColor };
  }, [tokens, key]);
}
