import type { StreamedResult } from '@nop/protocol';
import { useEffect, useState } from 'react';
import { keepRecent, newLiveResults } from '../lib/checkLive.ts';
import { useLive } from '../store/live.ts';

/** A check at 1 s on a few agents over the longest live range stays well under this. */
const MAX_RESULTS = 20_000;

/**
 * Whole results of one check as the stream delivers them (the live store keeps each pair's newest),
 * kept from `sinceMs` on; off (empty) while `enabled` is false — a fixed range takes no live data.
 */
export function useCheckLiveResults(checkId: string, sinceMs: number, enabled: boolean): StreamedResult[] {
  const [results, setResults] = useState<StreamedResult[]>([]);

  useEffect(() => {
    setResults([]);
    if (!enabled) return;
    // what is in the store already was heard before this page opened: the fetch covers it
    let seen = newLiveResults(new Map(), useLive.getState().checks, checkId).seen;
    return useLive.subscribe((state, prev) => {
      if (state.checks === prev.checks) return;
      const next = newLiveResults(seen, state.checks, checkId);
      seen = next.seen;
      if (next.fresh.length) setResults((list) => keepRecent(list, next.fresh, 0, MAX_RESULTS));
    });
  }, [checkId, enabled]);

  // drop what slid out of the window (cheap: the list is in time order)
  return sinceMs > 0 && results.length && Date.parse(results[0]!.time) < sinceMs
    ? results.filter((r) => Date.parse(r.time) >= sinceMs)
    : results;
}
