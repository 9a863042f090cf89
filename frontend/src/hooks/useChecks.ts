import type { Check } from '@nop/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import {
  actOnCheck,
  cloneCheck,
  createCheck,
  listChecks,
  removeCheck,
  updateCheck,
  type CheckActionName,
  type CreateCheckInput,
  type UpdateCheckInput,
} from '../api/checks.ts';
import { fetchLatestResults } from '../api/latestResults.ts';
import { ApiError } from '../api/problem.ts';
import { useLive } from '../store/live.ts';

export const CHECKS_KEY = ['checks'] as const;
export const LATEST_RESULTS_KEY = ['results', 'latest'] as const;

/** null instead of an error when the route is not there: a backend from before it answers 404. */
async function orNullIfMissing<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Every check object, all pages (sorted by id). null when the backend has no checks API: the
 * overview then reads the checks from the agents' configs. The slow refetch picks up checks that
 * others created; this tab's own changes update the cache at once (the mutations below).
 */
export function useChecks() {
  return useQuery({
    queryKey: CHECKS_KEY,
    queryFn: ({ signal }) => orNullIfMissing(() => listChecks({}, signal)),
    // thousands of checks are many pages: a slow safety net, new checks show sooner (useOverview)
    refetchInterval: 120_000,
  });
}

/**
 * The latest result of every (agent, check) pair, once; the stream keeps it current from there.
 * Fetched again after the stream was down, to fill what it missed.
 */
export function useLatestResults() {
  const query = useQuery({
    queryKey: LATEST_RESULTS_KEY,
    queryFn: ({ signal }) => orNullIfMissing(() => fetchLatestResults({}, signal)),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const connection = useLive((s) => s.connection);
  const wasDown = useRef(false);
  const { refetch } = query;
  useEffect(() => {
    if (connection === 'reconnecting') wasDown.current = true;
    if (connection === 'live' && wasDown.current) {
      wasDown.current = false;
      void refetch();
    }
  }, [connection, refetch]);
  return query;
}

/** Puts the server's copy of a check into the cached list (kept sorted by id, as the API sorts). */
function useStoreCheck() {
  const qc = useQueryClient();
  return (check: Check) =>
    qc.setQueryData<Check[] | null>(CHECKS_KEY, (list) =>
      list ? [...list.filter((c) => c.id !== check.id), check].sort((a, b) => (a.id < b.id ? -1 : 1)) : list,
    );
}

export function useCreateCheck() {
  const store = useStoreCheck();
  return useMutation({ mutationFn: (body: CreateCheckInput) => createCheck(body), onSuccess: store });
}

/** PATCH: an id change (a rename) drops the old entry. */
export function useUpdateCheck(id: string) {
  const qc = useQueryClient();
  const store = useStoreCheck();
  return useMutation({
    mutationFn: (body: UpdateCheckInput) => updateCheck(id, body),
    onSuccess: (check) => {
      if (check.id !== id) qc.setQueryData<Check[] | null>(CHECKS_KEY, (list) => list?.filter((c) => c.id !== id));
      store(check);
    },
  });
}

export function useRemoveCheck(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => removeCheck(id),
    onSuccess: () => qc.setQueryData<Check[] | null>(CHECKS_KEY, (list) => list?.filter((c) => c.id !== id)),
  });
}

export function useCheckAction(id: string) {
  const store = useStoreCheck();
  return useMutation({ mutationFn: (action: CheckActionName) => actOnCheck(id, action), onSuccess: store });
}

export function useCloneCheck(id: string) {
  const store = useStoreCheck();
  return useMutation({ mutationFn: (newId?: string) => cloneCheck(id, newId), onSuccess: store });
}
