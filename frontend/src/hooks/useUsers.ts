import type { Role } from '@nop/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createInvitation,
  createUser,
  deleteUser,
  listInvitations,
  listUsers,
  revokeInvitation,
  signOutUser,
  updateUser,
} from '../api/users.ts';
import { usePagedList } from './usePagedList.ts';

export const USERS_KEY = ['users'] as const;
export const INVITATIONS_KEY = ['invitations'] as const;

export const useUserList = () => usePagedList(USERS_KEY, listUsers);
export const useInvitationList = () => usePagedList(INVITATIONS_KEY, listInvitations);

/** A mutation that reloads the lists it changes once it is done. */
function useChanging<V, R>(keys: ReadonlyArray<readonly string[]>, fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey }))),
  });
}

export const useUpdateUser = () =>
  useChanging([USERS_KEY], ({ id, change }: { id: string; change: { role?: Role; disabled?: boolean } }) =>
    updateUser(id, change),
  );

export const useDeleteUser = () => useChanging([USERS_KEY], (id: string) => deleteUser(id));

export const useSignOutUser = () => useChanging([], (id: string) => signOutUser(id));

export const useCreateUser = () => useChanging([USERS_KEY], createUser);

export const useCreateInvitation = () => useChanging([INVITATIONS_KEY], createInvitation);

export const useRevokeInvitation = () => useChanging([INVITATIONS_KEY], (id: string) => revokeInvitation(id));
