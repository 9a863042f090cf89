import { InvitationBody, type Role } from '@nop/protocol';
import type { CreatedInvitation } from '../../api/users.ts';
import { useCreateInvitation } from '../../hooks/useUsers.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ROLE_SUMMARY } from '../../lib/roles.ts';
import { FormField } from '../FormField.tsx';
import { RoleSelect } from '../RoleSelect.tsx';
import { Alert } from '../ui/Alert.tsx';
import { CreateFormActions } from '../ui/CreateFormActions.tsx';
import { Field } from '../ui/Field.tsx';
import { Select } from '../ui/Input.tsx';
import { SecretValue } from '../ui/SecretValue.tsx';
import { ShownOnce } from '../ui/ShownOnce.tsx';
import { ShownOnceDialog } from '../ui/ShownOnceDialog.tsx';

/** How long a link may work: the API takes 1 hour to 30 days. */
const EXPIRY_CHOICES = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
];

/** Two steps: whom to invite as what, then the link, shown this once with a copy button. */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ShownOnceDialog
      open={open}
      onClose={onClose}
      title={(created) => (created ? 'Invitation created' : 'Invite someone')}
      description={(created) =>
        created
          ? `Send this link to ${created.invitation.email}. It works once.`
          : 'They get a link to choose their name and password; the account gets the role you pick.'
      }
      Form={InviteForm}
      Created={CreatedView}
    />
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

  return (
    <form noValidate onSubmit={form.onSubmit} className="space-y-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <FormField
        form={form}
        name="email"
        id="invite-email"
        label="Email"
        type="email"
        autoFocus
        autoComplete="off"
        placeholder="name@example.com"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Role"
          htmlFor="invite-role"
          error={form.fieldErrors.role}
          hint={ROLE_SUMMARY[form.values.role as Role]}
        >
          <RoleSelect id="invite-role" value={form.values.role} onChange={(e) => form.set('role')(e.target.value)} />
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
      <CreateFormActions pending={form.pending} onCancel={onCancel} label="Create invitation" />
    </form>
  );
}

function CreatedView({ created, onDone }: { created: CreatedInvitation; onDone: () => void }) {
  return (
    <ShownOnce what="link" ifLost="revoke the invitation and create a new one." onDone={onDone}>
      <SecretValue label="Invitation link" value={created.url} multiline />
      <p className="text-xs text-muted">
        {created.invitation.email} joins as <span className="text-fg">{created.invitation.role}</span>. The link works
        until {formatDateTime(created.invitation.expiresAt)}.
      </p>
    </ShownOnce>
  );
}
