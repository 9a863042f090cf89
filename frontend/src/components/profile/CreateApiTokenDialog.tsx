import { ApiTokenBody, type Role } from '@nop/protocol';
import type { CreatedApiToken } from '../../api/apiTokens.ts';
import { useCreateApiToken } from '../../hooks/useProfile.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { tokenRolesFor } from '../../lib/permissions.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ROLE_SUMMARY } from '../../lib/roles.ts';
import { useAuth } from '../../store/auth.ts';
import { FormField } from '../FormField.tsx';
import { RoleSelect } from '../RoleSelect.tsx';
import { Alert } from '../ui/Alert.tsx';
import { CreateFormActions } from '../ui/CreateFormActions.tsx';
import { Field } from '../ui/Field.tsx';
import { Select } from '../ui/Input.tsx';
import { SecretValue } from '../ui/SecretValue.tsx';
import { ShownOnce } from '../ui/ShownOnce.tsx';
import { ShownOnceDialog } from '../ui/ShownOnceDialog.tsx';

/** The API takes 1 to 365 days. */
const EXPIRY_DAYS = [7, 30, 90, 180, 365];

/** Name, role (none above your own), lifetime; then the token, shown this once. */
export function CreateApiTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ShownOnceDialog
      open={open}
      onClose={onClose}
      title={(created) => (created ? `Token “${created.apiToken.name}” created` : 'New API token')}
      description={(created) =>
        created
          ? 'Send it as “Authorization: Bearer <token>” with every API call.'
          : 'For scripts and automation: it acts as you, with the role you choose here.'
      }
      Form={TokenForm}
      Created={CreatedView}
    />
  );
}

function TokenForm({ onCreated, onCancel }: { onCreated: (c: CreatedApiToken) => void; onCancel: () => void }) {
  const role = useAuth((s) => s.user?.role ?? 'viewer');
  const roles = tokenRolesFor(role);
  const create = useCreateApiToken();
  const form = useValidatedForm({
    initial: { name: '', role, expiresInDays: '90' },
    schema: ApiTokenBody,
    toBody: (v) => ({ name: v.name, role: v.role, expiresInDays: Number(v.expiresInDays) }),
    required: { name: 'Name it after where it is used, e.g. “CI deploy”.' },
    submit: (body) => create.mutateAsync({ ...body, role: body.role ?? role }),
    onSuccess: onCreated,
  });

  return (
    <form noValidate onSubmit={form.onSubmit} className="space-y-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <FormField
        form={form}
        name="name"
        id="token-name"
        label="Name"
        autoFocus
        autoComplete="off"
        placeholder="CI deploy"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Role"
          htmlFor="token-role"
          error={form.fieldErrors.role}
          hint={roles.length === 1 ? 'A token cannot do more than you can.' : ROLE_SUMMARY[form.values.role as Role]}
        >
          <RoleSelect
            id="token-role"
            roles={roles}
            value={form.values.role}
            onChange={(e) => form.set('role')(e.target.value)}
          />
        </Field>
        <Field label="Expires after" htmlFor="token-expiry" error={form.fieldErrors.expiresInDays}>
          <Select
            id="token-expiry"
            value={form.values.expiresInDays}
            onChange={(e) => form.set('expiresInDays')(e.target.value)}
          >
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <CreateFormActions pending={form.pending} onCancel={onCancel} label="Create token" />
    </form>
  );
}

function CreatedView({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  return (
    <ShownOnce what="token" ifLost="revoke it and create another." onDone={onDone}>
      <SecretValue label="API token" value={created.token} />
      <p className="text-xs text-muted">
        Acts as <span className="text-fg">{created.apiToken.role}</span> until{' '}
        {formatDateTime(created.apiToken.expiresAt)}.
      </p>
    </ShownOnce>
  );
}
