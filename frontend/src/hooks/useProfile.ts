import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createApiToken, listApiTokens, revokeApiToken } from '../api/apiTokens.ts';
import { changePassword, listSessions, revokeOtherSessions, revokeSession, updateMe } from '../api/auth.ts';
import { credentials } from '../lib/session.ts';
import { useAuth } from '../store/auth.ts';
import { ME_KEY } from './useMe.ts';
import { usePagedList } from './usePagedList.ts';
import { useReloadingMutation } from './useReloadingMutation.ts';

export const SESSIONS_KEY = ['sessions'] as const;
export const API_TOKENS_KEY = ['api-tokens'] as const;

export const useSessionList = () => usePagedList(SESSIONS_KEY, listSessions);
export const useApiTokenList = () => usePagedList(API_TOKENS_KEY, listApiTokens);

export function useRename() {
  const qc = useQueryClient();
  const setUser = useAuth((s) => s.setUser);
  return useMutation({
    mutationFn: (name: string) => updateMe({ name }),
    onSuccess: (user) => {
      setUser(user);
      qc.setQueryData(ME_KEY, user);
    },
  });
}

/**
 * Every session of the user ends, this one too; the answer is this tab's new session. Stored before
 * the switch ends, so the stream closing on the old token is not taken for a revocation.
 */
export function useChangePassword() {
  const signIn = useAuth((s) => s.signIn);
  return useReloadingMutation([SESSIONS_KEY], (body: { currentPassword: string; newPassword: string }) =>
    credentials.during(async () => {
      const session = await changePassword(body);
      signIn(session.token, session.user);
      return session;
    }),
  );
}

export const useRevokeSession = () => useReloadingMutation([SESSIONS_KEY], revokeSession);

/** "Sign out everywhere else": every session but this one, in one request. */
export function useRevokeOtherSessions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => (await revokeOtherSessions()).ended,
    onSettled: () => qc.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
}

export const useCreateApiToken = () => useReloadingMutation([API_TOKENS_KEY], createApiToken);

export const useRevokeApiToken = () => useReloadingMutation([API_TOKENS_KEY], revokeApiToken);
