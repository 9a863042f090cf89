import type { Role, User } from '@nop/protocol';
import { useState } from 'react';
import { errorMessage } from '../../api/problem.ts';
import { useDeleteUser, useSignOutUser, useUpdateUser } from '../../hooks/useUsers.ts';
import { useAuth } from '../../store/auth.ts';
import { TrashIcon } from '../icons.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { RoleSelect } from '../RoleSelect.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { RowAlert, Td, Tr } from '../ui/Table.tsx';

type Pending = { kind: 'role'; role: Role } | { kind: 'disable' } | { kind: 'delete' } | { kind: 'sign-out' } | null;

/**
 * One account and what an admin can do to it. A new role, disabling and deleting all end the
 * user's sessions at once; disabling, deleting and changing your own role ask first. The server's
 * refusal ("the last active admin") shows under the row.
 */
export function UserRow({ user }: { user: User }) {
  const me = useAuth((s) => s.user);
  const isMe = me?.id === user.id;
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const signOut = useSignOutUser();
  const [confirming, setConfirming] = useState<Pending>(null);
  const signedOut = signOut.data?.ended;
  const failed = update.error ?? remove.error ?? signOut.error;

  const close = () => {
    setConfirming(null);
    remove.reset();
  };

  const changeRole = (role: Role) => {
    if (role === user.role) return;
    update.reset();
    // yourself: the change ends your session too, so say so first
    if (isMe) setConfirming({ kind: 'role', role });
    else update.mutate({ id: user.id, change: { role } });
  };

  const confirm = () => {
    if (!confirming) return;
    if (confirming.kind === 'delete') {
      remove.mutate(user.id, { onSuccess: close });
      return;
    }
    if (confirming.kind === 'sign-out') {
      signOut.mutate(user.id, { onSettled: () => setConfirming(null) });
      return;
    }
    const change = confirming.kind === 'role' ? { role: confirming.role } : { disabled: true };
    update.mutate({ id: user.id, change }, { onSettled: () => setConfirming(null) });
  };

  return (
    <>
      <Tr>
        <Td>
          <span className="font-medium text-fg">{user.name}</span>
          {isMe && <span className="ml-2 text-[10px] tracking-wider text-faint uppercase">you</span>}
        </Td>
        <Td className="max-w-64 truncate text-muted" title={user.email}>
          {user.email}
        </Td>
        <Td>
          {/* a fixed width: the shared field style is full-width */}
          <div className="w-28">
            <RoleSelect
              aria-label={`Role of ${user.name}`}
              title="A new role signs the user out everywhere"
              value={user.role}
              disabled={update.isPending}
              onChange={(e) => changeRole(e.target.value as Role)}
            />
          </div>
        </Td>
        <Td>
          {user.disabled ? (
            <Badge tone="bad" dot>
              Disabled
            </Badge>
          ) : (
            <Badge tone="ok" dot>
              Active
            </Badge>
          )}
        </Td>
        <Td className="text-xs whitespace-nowrap text-muted tabular-nums">
          <RelativeTime iso={user.createdAt} />
        </Td>
        <Td className="text-right">
          <div className="flex items-center justify-end gap-1">
            {!user.disabled && !isMe && (
              <Button
                size="sm"
                variant="ghost"
                title={`End every session of ${user.name} (their API tokens keep working)`}
                onClick={() => (signOut.reset(), setConfirming({ kind: 'sign-out' }))}
              >
                Sign out
              </Button>
            )}
            {user.disabled ? (
              <Button
                size="sm"
                variant="ghost"
                busy={update.isPending}
                onClick={() => update.mutate({ id: user.id, change: { disabled: false } })}
              >
                Enable
              </Button>
            ) : (
              <Button size="sm" variant="ghost" onClick={() => (update.reset(), setConfirming({ kind: 'disable' }))}>
                Disable
              </Button>
            )}
            <Button
              size="icon"
              variant="ghost"
              className="hover:text-bad"
              disabled={isMe}
              title={isMe ? 'You cannot delete your own account: another admin can.' : `Delete ${user.name}`}
              aria-label={`Delete ${user.name}`}
              onClick={() => (remove.reset(), setConfirming({ kind: 'delete' }))}
            >
              <TrashIcon />
            </Button>
          </div>
          {/* inside the cell: a <dialog> may not sit directly in a table body */}
          <ConfirmDialog
            open={confirming !== null}
            onClose={close}
            busy={update.isPending || remove.isPending || signOut.isPending}
            error={remove.error}
            onConfirm={confirm}
            {...confirmText(confirming, user, isMe)}
          />
        </Td>
      </Tr>
      {signedOut !== undefined && !failed && !confirming && (
        <RowAlert tone="info" colSpan={6}>
          {user.name} was signed out of {signedOut} {signedOut === 1 ? 'session' : 'sessions'}.
        </RowAlert>
      )}
      {failed && !confirming && (
        <RowAlert colSpan={6}>
          {user.name} was not changed — {errorMessage(failed)}
        </RowAlert>
      )}
    </>
  );
}

function confirmText(pending: Pending, user: User, isMe: boolean) {
  const signsOut = isMe ? 'You are signed out at once, here and everywhere.' : 'They are signed out at once.';
  if (pending?.kind === 'delete')
    return {
      title: `Delete ${user.name}?`,
      description: `${user.email} can no longer sign in and their API tokens stop working. Their agents keep running; only admins can change them afterwards. This cannot be undone.`,
      confirmLabel: 'Delete user',
    };
  if (pending?.kind === 'sign-out')
    return {
      title: `Sign ${user.name} out everywhere?`,
      description: `Every session of ${user.email} ends at once, and their open dashboards return to the sign-in page. Their API tokens keep working: revoke those, or disable the account, to stop them too.`,
      confirmLabel: 'Sign out everywhere',
    };
  if (pending?.kind === 'role')
    return {
      title: `Make yourself ${pending.role}?`,
      description: `${signsOut} Only another admin can give you the admin role back.`,
      confirmLabel: `Become ${pending.role}`,
    };
  return {
    title: `Disable ${user.name}?`,
    description: `${signsOut} ${isMe ? 'You' : 'They'} cannot sign in, and ${isMe ? 'your' : 'their'} API tokens stop working, until an admin enables the account again.`,
    confirmLabel: 'Disable',
  };
}
