import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/problem.ts';

/** Client errors (4xx) are answers, not glitches: retrying them only delays the message. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 3,
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});
