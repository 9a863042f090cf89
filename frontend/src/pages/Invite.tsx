import { AcceptInvitationBody } from '@nop/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { acceptInvitation, inspectInvitation, type InvitationInfo } from '../api/auth.ts';
import { ApiError, errorMessage } from '../api/problem.ts';
import { FormField } from '../components/FormField.tsx';
import { AuthLayout, SignInInstead } from '../components/AuthLayout.tsx';
import { RoleBadge } from '../components/RoleBadge.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
import { Loading } from '../components/ui/Loading.tsx';
import { SubmitButton } from '../components/ui/SubmitButton.tsx';
import { useAuthForm } from '../hooks/useAuthForm.ts';
import { invitationTokenFromHash } from '../lib/invitation.ts';
import { formatDateTime } from '../lib/format.ts';
import { ROLE_SUMMARY } from '../lib/roles.ts';
import { capitalize } from '../lib/text.ts';
import { navigate, useHash } from '../lib/router.ts';
import { logOut } from '../lib/session.ts';
import { useAuth } from '../store/auth.ts';

/** The invitee's side: /invite#nop_inv_… shows who is invited as what, then takes a name and password. */
export function Invite() {
  const token = invitationTokenFromHash(useHash());
  const info = useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) => inspectInvitation(token!, signal),
    enabled: token !== null,
    retry: false,
  });

  let body;
  if (token === null) {
    body = (
      <Alert>
        This link has no invitation in it. Open the whole link from your invitation message (it ends with a long code
        after “#”).
      </Alert>
    );
  } else if (info.isPending) {
    body = <Loading className="py-6">Checking the invitation…</Loading>;
  } else if (info.error) {
    body = <Alert>{invitationProblem(info.error)}</Alert>;
  } else {
    body = <AcceptForm token={token} invitation={info.data} />;
  }

  return (
    <AuthLayout
      title="Accept your invitation"
      subtitle="Choose your name and a password to join this NOP server."
      footer={<SignInInstead />}
    >
      {body}
    </AuthLayout>
  );
}

/** 404 and 410 are the two ways a link goes bad: say which, and what to do. */
function invitationProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 404)
    return 'This invitation link is not valid. Check that you opened the whole link, or ask an admin for a new one.';
  // the server says which: "this invitation is expired: ask an admin for a new one"
  if (error instanceof ApiError && error.status === 410)
    return error.detail
      ? `${capitalize(error.detail.replace(/[.\s]+$/, ''))}.`
      : 'This invitation can no longer be used. Ask an admin for a new one.';
  return `Couldn't check the invitation: ${errorMessage(error)}`;
}

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationInfo }) {
  const signedInAs = useAuth((s) => (s.token ? s.user : null));
  const [leaving, setLeaving] = useState(false);
  const form = useAuthForm({
    initial: { name: '', password: '', confirm: '' },
    schema: AcceptInvitationBody.omit({ token: true }),
    toBody: ({ name, password }) => ({ name, password }),
    required: { name: 'Enter your name.', password: 'Choose a password.', confirm: 'Type the password again.' },
    validate: (v) => (v.confirm && v.confirm !== v.password ? { confirm: 'The two passwords differ.' } : {}),
    submit: (body) => acceptInvitation({ token, ...body }),
    statusMessages: {
      409: { message: 'An account with this email already exists: sign in instead.' },
      410: { message: 'This invitation was used, revoked or has expired meanwhile. Ask an admin for a new one.' },
    },
  });

  return (
    <div className="space-y-4">
      <div className="space-y-2 rounded-md border border-line bg-bg/60 px-3 py-2.5 text-sm">
        <div className="flex items-center justify-between gap-3">
          <span className="text-muted">Email</span>
          <span className="truncate font-medium text-fg" data-testid="invitation-email">
            {invitation.email}
          </span>
        </div>
        <div className="flex items-center justify-between gap-3">
          <span className="text-muted">Role</span>
          <RoleBadge role={invitation.role} />
        </div>
        <p className="text-xs text-faint">
          As {invitation.role}: {ROLE_SUMMARY[invitation.role]}. The link works until{' '}
          {formatDateTime(invitation.expiresAt)}.
        </p>
      </div>

      {signedInAs ? (
        <div className="space-y-3">
          <Alert tone="info">
            You are signed in as {signedInAs.email}. Log out to accept this invitation as {invitation.email}.
          </Alert>
          <Button
            className="w-full"
            busy={leaving}
            onClick={() => {
              setLeaving(true);
              // back to this link afterwards: signing out lands on the sign-in page
              const link = window.location.pathname + window.location.hash;
              void logOut().then(() => navigate(link, { replace: true }));
            }}
          >
            Log out
          </Button>
        </div>
      ) : (
        <form noValidate onSubmit={form.onSubmit} className="space-y-4">
          {form.formError && <Alert>{form.formError}</Alert>}
          <FormField form={form} name="name" label="Name" autoComplete="name" autoFocus />
          <FormField
            form={form}
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
          />
          <FormField form={form} name="confirm" label="Confirm password" type="password" autoComplete="new-password" />
          <SubmitButton pending={form.pending} pendingLabel="Joining…" className="w-full">
            Join
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
