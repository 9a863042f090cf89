import { InvitationBody, type Role } from '@nop/protocol';
import { useState } from 'react';
import type { CreatedInvitation } from '../../api/users.ts';
import { useCreateInvitation } from '../../hooks/useUsers.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { formatTimestamp } from '../../lib/relativeTime.ts';
import { ROLE_SUMMARY, ROLES } from '../../lib/roles.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { Input, Select } from '../ui/Input.tsx';
import { SecretValue } from '../ui/SecretValue.tsx';

/** How long a link may work: the API takes 1 hour to 30 days. */
const EXPIRY_CHOICES = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
];

/** Two steps: whom to invite as what, then the link, shown this once with a copy button. */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!created}
      title={created ? 'Invitation created' : 'Invite someone'}
      description={
        created
          ? `Send this link to ${created.invitation.email}. It works once.`
          : 'They get a link to choose their name and password; the account gets the role you pick.'
      }
    >
      {created ? (
        <CreatedView created={created} onDone={close} />
      ) : (
        <InviteForm onCreated={setCreated} onCancel={close} />
      )}
    </Dialog>
  );
}

function InviteForm({ onCreated, onCancel }: { onCreated: (c: CreatedInvitation) => void; onCancel: () => void }) {
  const create = useCreateInvitation();
  const form = useValidatedForm({
    initial: { email: '', role: 'viewer', expiresInHours: '72' },
    schema: InvitationBody,
    toBody: (v) => ({ email: v.email.trim(), role: v.role, expiresInHours: Number(v.expiresInHours) }),
    required: { email: 'Enter the email address to invite.' },
    submit: (body) => create.mutateAsync(body),
    onSuccess: onCreated,
    statusMessages: { 409: { field: 'email', message: 'An account with this email already exists.' } },
  });
  const role = form.values.role as Role;

  return (
    <form noValidate onSubmit={form.onSubmit} className="space-y-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <Field label="Email" htmlFor="invite-email" error={form.fieldErrors.email}>
        <Input
          id="invite-email"
          type="email"
          autoFocus
          autoComplete="off"
          placeholder="name@example.com"
          value={form.values.email}
          invalid={Boolean(form.fieldErrors.email)}
          onChange={(e) => form.set('email')(e.target.value)}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Role" htmlFor="invite-role" error={form.fieldErrors.role} hint={ROLE_SUMMARY[role]}>
          <Select id="invite-role" value={form.values.role} onChange={(e) => form.set('role')(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Link works for" htmlFor="invite-expiry" error={form.fieldErrors.expiresInHours}>
          <Select
            id="invite-expiry"
            value={form.values.expiresInHours}
            onChange={(e) => form.set('expiresInHours')(e.target.value)}
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.hours} value={c.hours}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onCancel} disabled={form.pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={form.pending}>
          {form.pending ? 'Creating…' : 'Create invitation'}
        </Button>
      </div>
    </form>
  );
}

function CreatedView({ created, onDone }: { created: CreatedInvitation; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="info">
        This link is shown <strong>only once</strong>. Copy it now; if it is lost, revoke the invitation and create a
        new one.
      </Alert>
      <SecretValue label="Invitation link" value={created.url} multiline />
      <p className="text-xs text-muted">
        {created.invitation.email} joins as <span className="text-fg">{created.invitation.role}</span>. The link works
        until {formatTimestamp(created.invitation.expiresAt)}.
      </p>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
