import type { StreamedResult } from '@nop/protocol';
import type { CheckLive } from './liveSeries.ts';

/**
 * The check page wants whole live results (metrics, traces), not just the chart points the live
 * store keeps per (agent, check). The store keeps each pair's newest result as `last`; watching it
 * change gives every result of a check running every second or slower (the stream is flushed four
 * times a second). A burst from an agent catching up after an outage yields only its newest result
 * here; the page's periodic refetch fills the rest.
 */
export function newLiveResults(
  seen: ReadonlyMap<string, string>,
  checks: Readonly<Record<string, CheckLive>>,
  checkId: string,
): { fresh: StreamedResult[]; seen: Map<string, string> } {
  const next = new Map(seen);
  const fresh: StreamedResult[] = [];
  const suffix = `/${checkId}`;
  for (const [key, live] of Object.entries(checks)) {
    if (!key.endsWith(suffix) || !live.last || live.last.checkId !== checkId) continue;
    if (seen.get(key) === live.last.id) continue;
    next.set(key, live.last.id);
    fresh.push(live.last);
  }
  return { fresh, seen: next };
}

/** Appends fresh results, dropping those older than `sinceMs` and beyond `max` (oldest first). */
export function keepRecent(
  list: readonly StreamedResult[],
  fresh: readonly StreamedResult[],
  sinceMs: number,
  max: number,
): StreamedResult[] {
  const ids = new Set(list.map((r) => r.id));
  const merged = [...list, ...fresh.filter((r) => !ids.has(r.id))].filter((r) => Date.parse(r.time) >= sinceMs);
  merged.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}
