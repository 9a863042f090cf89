import type { Invitation } from '@nop/protocol';
import { errorMessage } from '../../api/problem.ts';
import { useInvitationList, useRevokeInvitation } from '../../hooks/useUsers.ts';
import { EmptyState } from '../EmptyState.tsx';
import { ExpiresIn } from '../ExpiresIn.tsx';
import { PagedListBody } from '../PagedListBody.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { RoleBadge } from '../RoleBadge.tsx';
import { Badge, type Tone } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Panel } from '../ui/Panel.tsx';
import { ActionsTh, RowAlert, Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

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

  return (
    <Panel title="Invitations" summary={pending > 0 && <span className="tabular-nums">{pending} pending</span>}>
      <PagedListBody
        list={invitations}
        what="invitations"
        noun="invitations"
        empty={
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
        }
      >
        <Table label="Invitations">
          <THead>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Invited</Th>
            <Th>Expires</Th>
            <ActionsTh />
          </THead>
          <TBody>
            {invitations.items.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} />
            ))}
          </TBody>
        </Table>
      </PagedListBody>
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
      {revoke.isError && <RowAlert colSpan={6}>{errorMessage(revoke.error)}</RowAlert>}
    </>
  );
}
