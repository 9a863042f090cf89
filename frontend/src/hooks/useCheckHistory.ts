import { useQuery } from '@tanstack/react-query';
import { fetchHistory } from '../api/metrics.ts';
import { WINDOW_MS } from '../lib/liveSeries.ts';

/** 10 s buckets: 90 points over 15 minutes, fine enough to see a spike, cheap to fetch per card. */
const STEP = '10s';

/**
 * The 15 minutes before the page opened. Fetched once per check; live points take over from there,
 * so it never goes stale on its own. After a stream outage the stream hook invalidates it to fill the gap.
 */
export function useCheckHistory(agentId: string, checkId: string, metric: string) {
  return useQuery({
    queryKey: ['history', agentId, checkId, metric],
    queryFn: ({ signal }) => {
      const toMs = Date.now();
      return fetchHistory({ agentId, checkId, metric, fromMs: toMs - WINDOW_MS, toMs, step: STEP }, signal);
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 5 * 60_000,
  });
}
