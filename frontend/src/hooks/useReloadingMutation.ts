import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/** A mutation that reloads the lists it changes once it is done (and settles only after they are). */
export function useReloadingMutation<V, R>(keys: readonly QueryKey[], fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey }))),
  });
}
