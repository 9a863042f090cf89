import type { Check } from '@nop/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getCheck } from '../api/checks.ts';
import { CHECKS_KEY } from './useChecks.ts';

export const checkKey = (id: string) => ['check', id] as const;

/**
 * One check object. Starts from the overview's cached list when it holds the check (no spinner when
 * coming from there), then asks the server, whose copy also names the agents running it now.
 */
export function useCheck(id: string) {
  const qc = useQueryClient();
  return useQuery<Check, Error, Check, ReturnType<typeof checkKey>>({
    queryKey: checkKey(id),
    queryFn: ({ signal }) => getCheck(id, signal),
    placeholderData: () => qc.getQueryData<Check[] | null>(CHECKS_KEY)?.find((c) => c.id === id),
    // the agents' statuses change: refresh now and then
    refetchInterval: 30_000,
  });
}
