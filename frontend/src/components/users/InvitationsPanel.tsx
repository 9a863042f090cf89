import type { Invitation } from '@nop/protocol';
import { errorMessage } from '../../api/problem.ts';
import { useInvitationList, useRevokeInvitation } from '../../hooks/useUsers.ts';
import { EmptyState } from '../EmptyState.tsx';
import { ExpiresIn } from '../ExpiresIn.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { RoleBadge } from '../RoleBadge.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Badge, type Tone } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Panel } from '../ui/Panel.tsx';
import { Spinner } from '../ui/Spinner.tsx';
import { Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

const STATUS_TONE: Record<Invitation['status'], Tone> = {
  pending: 'accent',
  accepted: 'ok',
  expired: 'neutral',
  revoked: 'neutral',
};

/** Invitations, newest first: pending ones can be revoked (the link stops working at once). */
export function InvitationsPanel({ onInvite }: { onInvite: () => void }) {
  const invitations = useInvitationList();
  const pending = invitations.items.filter((i) => i.status === 'pending').length;

  let body;
  if (invitations.loading) {
    body = (
      <div className="flex items-center justify-center gap-2 py-10 text-sm text-muted">
        <Spinner className="size-4" /> Loading invitations…
      </div>
    );
  } else if (invitations.error && invitations.items.length === 0) {
    body = (
      <div className="p-4">
        <Alert>Couldn't load invitations: {errorMessage(invitations.error)}</Alert>
      </div>
    );
  } else if (invitations.items.length === 0) {
    body = (
      <div className="p-4">
        <EmptyState
          title="No invitations yet."
          action={
            <Button size="sm" onClick={onInvite}>
              Invite someone
            </Button>
          }
        >
          An invitation is a link that lets one person create their account with the role you choose.
        </EmptyState>
      </div>
    );
  } else {
    body = (
      <>
        <Table label="Invitations">
          <THead>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Invited</Th>
            <Th>Expires</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <TBody>
            {invitations.items.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} />
            ))}
          </TBody>
        </Table>
        <LoadMore
          hasMore={invitations.hasMore}
          loading={invitations.loadingMore}
          onLoad={invitations.loadMore}
          shown={invitations.items.length}
          noun="invitations"
        />
      </>
    );
  }

  return (
    <Panel title="Invitations" summary={pending > 0 && <span className="tabular-nums">{pending} pending</span>}>
      {body}
    </Panel>
  );
}

function InvitationRow({ invitation }: { invitation: Invitation }) {
  const revoke = useRevokeInvitation();
  return (
    <>
      <Tr>
        <Td className="max-w-64 truncate text-fg" title={invitation.email}>
          {invitation.email}
        </Td>
        <Td>
          <RoleBadge role={invitation.role} />
        </Td>
        <Td>
          <Badge tone={STATUS_TONE[invitation.status]}>{invitation.status}</Badge>
        </Td>
        <Td className="text-xs whitespace-nowrap text-muted">
          <RelativeTime iso={invitation.createdAt} />
          {invitation.createdBy && <span className="text-faint"> by {invitation.createdBy.name}</span>}
        </Td>
        <Td className="text-xs whitespace-nowrap text-muted tabular-nums">
          {invitation.status === 'pending' ? <ExpiresIn iso={invitation.expiresAt} /> : '—'}
        </Td>
        <Td className="text-right">
          {invitation.status === 'pending' && (
            <Button
              size="sm"
              variant="ghost"
              className="hover:text-bad"
              busy={revoke.isPending}
              onClick={() => revoke.mutate(invitation.id)}
              aria-label={`Revoke the invitation of ${invitation.email}`}
            >
              Revoke
            </Button>
          )}
        </Td>
      </Tr>
      {revoke.isError && (
        <tr>
          <td colSpan={6} className="px-3 pb-2">
            <Alert>{errorMessage(revoke.error)}</Alert>
          </td>
        </tr>
      )}
    </>
  );
}
