import type { Page } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { fetchAllPages, flattenPages } from './paging.ts';

/** A fake paged endpoint over `items`, `size` a page, recording the cursors it was asked with. */
function pagedList(items: number[], size: number) {
  const asked: Array<string | undefined> = [];
  const fetchPage = async (cursor: string | undefined): Promise<Page<number>> => {
    asked.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const end = start + size;
    return { items: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
  };
  return { fetchPage, asked };
}

describe('fetchAllPages', () => {
  it('follows nextCursor to the last page', async () => {
    const list = pagedList([1, 2, 3, 4, 5], 2);
    expect(await fetchAllPages(list.fetchPage)).toEqual([1, 2, 3, 4, 5]);
    expect(list.asked).toEqual([undefined, '2', '4']);
  });

  it('asks once for a list that fits one page, and copes with an empty one', async () => {
    const one = pagedList([1, 2], 50);
    expect(await fetchAllPages(one.fetchPage)).toEqual([1, 2]);
    expect(one.asked).toEqual([undefined]);
    expect(await fetchAllPages(pagedList([], 50).fetchPage)).toEqual([]);
  });

  it('stops when the server repeats a cursor instead of looping', async () => {
    let calls = 0;
    const stuck = async (): Promise<Page<number>> => ({ items: [++calls], nextCursor: 'same' });
    expect(await fetchAllPages(stuck)).toEqual([1, 2]);
  });

  it('stops after maxPages', async () => {
    const list = pagedList(
      Array.from({ length: 10 }, (_, i) => i),
      1,
    );
    expect(await fetchAllPages(list.fetchPage, 3)).toEqual([0, 1, 2]);
  });

  it('passes errors on', async () => {
    await expect(fetchAllPages(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });
});

describe('flattenPages', () => {
  it('joins loaded pages in order', () => {
    expect(
      flattenPages([
        { items: [1], nextCursor: 'x' },
        { items: [2, 3], nextCursor: null },
      ]),
    ).toEqual([1, 2, 3]);
    expect(flattenPages(undefined)).toEqual([]);
  });
});
