import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { fetchMe } from '../api/auth.ts';
import { useAuth } from '../store/auth.ts';

export const ME_KEY = ['me'] as const;

/**
 * Confirms the stored token on load (a 401 signs out) and keeps the user in the store (name, role)
 * as the server has it.
 */
export function useMe() {
  const setUser = useAuth((s) => s.setUser);
  const me = useQuery({ queryKey: ME_KEY, queryFn: ({ signal }) => fetchMe(signal), staleTime: 5 * 60_000 });
  useEffect(() => {
    if (me.data) setUser(me.data);
  }, [me.data, setUser]);
}
