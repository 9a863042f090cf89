import { z } from 'zod';

/** The latest instant any query may name (9999-12-31): beyond it PostgreSQL's timestamps end. */
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
const EPOCH_SECONDS = /^\d+(\.\d+)?$/;

/** ISO-8601 ("2026-11-28T10:00:00Z") or epoch seconds ("1764324000", decimals allowed), 1970 to 9999. */
export const Instant = z
  .string()
  .max(64, 'must be an ISO-8601 time or epoch seconds')
  .transform((text, ctx) => {
    const isEpoch = EPOCH_SECONDS.test(text);
    const ms = isEpoch ? Number(text) * 1000 : /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
    if (!isEpoch && Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is neither an ISO-8601 time nor epoch seconds` });
      return z.NEVER;
    }
    if (!(ms >= 0 && ms <= MAX_MS)) {
      ctx.addIssue({ code: 'custom', message: 'must be between 1970 and the year 9999' });
      return z.NEVER;
    }
    return ms;
  });
