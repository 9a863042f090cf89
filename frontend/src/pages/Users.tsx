import { useState } from 'react';
import { PlusIcon } from '../components/icons.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { Button } from '../components/ui/Button.tsx';
import { CreateUserDialog } from '../components/users/CreateUserDialog.tsx';
import { InvitationsPanel } from '../components/users/InvitationsPanel.tsx';
import { InviteDialog } from '../components/users/InviteDialog.tsx';
import { UsersPanel } from '../components/users/UsersPanel.tsx';

/** Admins: who has an account, with which role; invitations for the people still to come. */
export function Users() {
  const [dialog, setDialog] = useState<'invite' | 'create' | null>(null);
  return (
    <>
      <PageHeading title="Users" subtitle="Accounts, their roles, and invitations for new people.">
        <Button size="sm" onClick={() => setDialog('create')}>
          Create user
        </Button>
        <Button size="sm" variant="primary" onClick={() => setDialog('invite')}>
          <PlusIcon /> Invite user
        </Button>
      </PageHeading>
      <UsersPanel />
      <InvitationsPanel onInvite={() => setDialog('invite')} />
      <InviteDialog open={dialog === 'invite'} onClose={() => setDialog(null)} />
      <CreateUserDialog open={dialog === 'create'} onClose={() => setDialog(null)} />
    </>
  );
}
