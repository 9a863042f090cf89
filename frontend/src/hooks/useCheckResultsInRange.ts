import type { StreamedResult } from '@nop/protocol';
import { useQuery } from '@tanstack/react-query';
import { fetchResults } from '../api/history.ts';
import { resolveRange, type RangeSpec } from '../lib/checkRange.ts';
import { fetchAllPages } from '../lib/paging.ts';
import { PAGE_MAX_LIMIT } from '@nop/protocol';

/**
 * Every result of the check in the range, when there are at most `max` (the summary's count says
 * so before anything is fetched); null when there are more, so callers fall back to buckets.
 */
export function useCheckResultsInRange(checkId: string, range: RangeSpec, count: number | undefined, max: number) {
  const enabled = count !== undefined && count <= max;
  const query = useQuery({
    queryKey: ['history', 'check-results-all', checkId, range, max],
    queryFn: async ({ signal }): Promise<StreamedResult[]> => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return fetchAllPages(
        (cursor) => fetchResults({ checkId, fromMs, toMs }, cursor, PAGE_MAX_LIMIT, signal),
        Math.ceil(max / PAGE_MAX_LIMIT),
      );
    },
    enabled,
    refetchInterval: range.kind === 'preset' ? 60_000 : false,
  });
  return { results: enabled ? (query.data ?? null) : null, loading: enabled && query.isPending };
}
