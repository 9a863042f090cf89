import { PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT, type Page } from '@nop/protocol';
import { z } from 'zod';
import { errors } from './errors.ts';
import { textProblems } from './input-guard.ts';

/**
 * Keyset paging for every list: `?limit=` (1..200, default 50) and `?cursor=` (opaque: the sort key
 * of the last item seen, base64url JSON). Stable under inserts, and a page costs the same whatever
 * its depth, unlike OFFSET.
 */
export const pageParams = {
  limit: z
    .string()
    .regex(/^\d{1,6}$/, `must be a whole number from 1 to ${PAGE_MAX_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(PAGE_MAX_LIMIT))
    .default(PAGE_DEFAULT_LIMIT),
  cursor: z.string().max(512).optional(),
};

/** The query of a list with nothing but paging. */
export const PageQuery = z.strictObject(pageParams);

export const encodeCursor = (key: readonly (string | number)[]) =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** A timestamp as PostgreSQL prints `created_at::text` ("2026-11-30 01:36:28.123456+00"). */
export const CursorTime = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/)
  .refine((text) => !Number.isNaN(Date.parse(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))));
/** A bigserial id, within PostgreSQL's bigint. */
export const CursorSerial = z
  .string()
  .regex(/^\d{1,19}$/)
  .refine((text) => BigInt(text) <= 9_223_372_036_854_775_807n);
/** Text (a name, an email) as stored: no NUL or lone surrogate, which no stored row can hold anyway. */
export const CursorText = z
  .string()
  .max(254)
  .refine((text) => textProblems(text, 'cursor').length === 0);

/** The cursor shapes of NOP's lists: newest first by (created_at, id), by a unique text, by a serial id. */
export const TimeIdCursor = z.tuple([CursorTime, z.uuid()]);
export const TextCursor = z.tuple([CursorText]);
export const SerialCursor = z.tuple([CursorSerial]);

/**
 * The sort key a cursor carries, checked against the list's key shape; a bad one is a 400. Cursors
 * come back from clients, so each part is checked as strictly as any other input before it reaches
 * a statement.
 */
export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw errors.validation('query.cursor: is not a cursor from this list', [
      { path: 'query.cursor', message: 'is not a cursor from this list' },
    ]);
  }
}

/** Rows fetched with LIMIT limit+1: the extra row says whether a next page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => readonly (string | number)[],
  toItem: (row: Row) => Item,
): Page<Item> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1]!)) : null };
}
