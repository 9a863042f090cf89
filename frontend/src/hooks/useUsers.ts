import type { Role } from '@nop/protocol';
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
import { useReloadingMutation } from './useReloadingMutation.ts';

export const USERS_KEY = ['users'] as const;
export const INVITATIONS_KEY = ['invitations'] as const;

export const useUserList = () => usePagedList(USERS_KEY, listUsers);
export const useInvitationList = () => usePagedList(INVITATIONS_KEY, listInvitations);

export const useUpdateUser = () =>
  useReloadingMutation([USERS_KEY], ({ id, change }: { id: string; change: { role?: Role; disabled?: boolean } }) =>
    updateUser(id, change),
  );

export const useDeleteUser = () => useReloadingMutation([USERS_KEY], deleteUser);

export const useSignOutUser = () => useReloadingMutation([], signOutUser);

export const useCreateUser = () => useReloadingMutation([USERS_KEY], createUser);

export const useCreateInvitation = () => useReloadingMutation([INVITATIONS_KEY], createInvitation);

export const useRevokeInvitation = () => useReloadingMutation([INVITATIONS_KEY], revokeInvitation);
