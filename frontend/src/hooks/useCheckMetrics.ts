import type { StreamedResult } from '@nop/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { fetchCheckMetrics, fetchCheckSummary } from '../api/history.ts';
import { resolveRange, type RangeSpec } from '../lib/checkRange.ts';
import { mergeLive, parseSeries, pickMetric, type AgentSeries } from '../lib/historyBuckets.ts';

/** A live range is fetched again this often (the stream fills in between): at most every 30 s. */
export const refetchEvery = (stepMs: number) => Math.min(Math.max(stepMs * 6, 30_000), 300_000);

const rangeKey = (range: RangeSpec) => (range.kind === 'preset' ? range.key : `${range.fromMs}-${range.toMs}`);

/**
 * One metric of a check over the page's range, one series per agent. A live range (ending now) is
 * refetched now and then, and between fetches the stream's results are folded into the newest
 * buckets, so the charts move with every result. Keys start with 'history', which the stream hook
 * invalidates after an outage.
 */
export function useCheckMetrics(checkId: string, metric: string, range: RangeSpec, live: readonly StreamedResult[]) {
  const query = useQuery({
    queryKey: ['history', 'check-metrics', checkId, metric, rangeKey(range)],
    queryFn: async ({ signal }) => {
      const window = resolveRange(range, Date.now());
      const res = await fetchCheckMetrics({ checkId, metric, ...window }, signal);
      return { series: parseSeries(res), toMs: Date.parse(res.to), stepMs: res.stepSeconds * 1000 };
    },
    placeholderData: keepPreviousData,
    refetchInterval: range.kind === 'preset' ? refetchEvery(resolveRange(range, 0).stepMs) : false,
    staleTime: range.kind === 'preset' ? 10_000 : Number.POSITIVE_INFINITY,
  });
  const data = query.data;
  const series: AgentSeries[] = useMemo(() => {
    if (!data) return [];
    if (range.kind !== 'preset' || live.length === 0) return data.series;
    return mergeLive(data.series, live, { stepMs: data.stepMs, sinceMs: data.toMs, pick: pickMetric(metric) });
  }, [data, live, metric, range.kind]);
  return { series, stepMs: data?.stepMs, loading: query.isPending, error: query.error, fetching: query.isFetching };
}

/** Uptime, latency percentiles, loss and jitter per agent over the range. */
export function useCheckSummary(checkId: string, range: RangeSpec) {
  return useQuery({
    queryKey: ['history', 'check-summary', checkId, rangeKey(range)],
    queryFn: ({ signal }) => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return fetchCheckSummary({ checkId, fromMs, toMs }, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: range.kind === 'preset' ? 30_000 : false,
  });
}
