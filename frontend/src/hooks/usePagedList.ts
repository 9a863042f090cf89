import type { Page } from '@nop/protocol';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { flattenPages } from '../lib/paging.ts';

export interface PagedList<T> {
  /** the pages loaded so far, in order */
  items: T[];
  /** the first page is on its way */
  loading: boolean;
  error: Error | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  refetch: () => void;
}

/**
 * A list the server pages with `{items, nextCursor}`: the first page on mount, the next ones when
 * the user asks for more ("Load more"). Invalidating `key`, or coming back to the tab, reloads the
 * pages shown.
 */
export function usePagedList<T>(
  key: QueryKey,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // people, sessions and invitations change in other browsers: catch up when the tab is back in view
    refetchOnWindowFocus: true,
  });
  return {
    items: flattenPages(query.data?.pages),
    loading: query.isPending,
    error: query.error,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMore: () => void query.fetchNextPage(),
    refetch: () => void query.refetch(),
  };
}
