import { useQuery } from '@tanstack/react-query';
import { fetchAuthOptions } from '../api/auth.ts';

/** May this visitor sign up (the first account, or NOP_SIGNUP=open)? Asked before anyone signs in. */
export function useAuthOptions() {
  return useQuery({ queryKey: ['auth-options'], queryFn: ({ signal }) => fetchAuthOptions(signal), staleTime: 30_000 });
}
