import type { Page } from '@nop/protocol';

/** A list longer than this many pages is cut: a server bug must not keep the browser looping. */
export const MAX_PAGES = 500;

/**
 * Every item of a paged list: asks for the first page, then follows `nextCursor` until it is null.
 * Stops early (keeping what it has) if the server hands back a cursor it already gave, which would
 * otherwise loop forever.
 */
export async function fetchAllPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (page.nextCursor === null || seen.has(page.nextCursor)) break;
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
  return items;
}

/** The items of the pages loaded so far, in order. */
export function flattenPages<T>(pages: ReadonlyArray<Page<T>> | undefined): T[] {
  return pages ? pages.flatMap((p) => p.items) : [];
}
