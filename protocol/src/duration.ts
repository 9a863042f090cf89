import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Parses "250ms", "10s", "1.5m", "2h" into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_RE.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A duration written as "10s"/"500ms" or as a number of milliseconds; always parsed to ms. */
export const Duration = z
  .union([
    z.number().positive().max(86_400_000),
    z.string().transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 500ms, 10s, 1m` });
        return z.NEVER;
      }
      return ms;
    }),
  ])
  .describe('a duration: "500ms", "10s", "1m", "2h", or a number of milliseconds');
