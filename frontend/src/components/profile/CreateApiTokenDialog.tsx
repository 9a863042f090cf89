import { ApiTokenBody, type Role } from '@nop/protocol';
import { useState } from 'react';
import type { CreatedApiToken } from '../../api/apiTokens.ts';
import { useCreateApiToken } from '../../hooks/useProfile.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { tokenRolesFor } from '../../lib/permissions.ts';
import { formatTimestamp } from '../../lib/relativeTime.ts';
import { ROLE_SUMMARY } from '../../lib/roles.ts';
import { useAuth } from '../../store/auth.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { Input, Select } from '../ui/Input.tsx';
import { SecretValue } from '../ui/SecretValue.tsx';

/** The API takes 1 to 365 days. */
const EXPIRY_DAYS = [7, 30, 90, 180, 365];

/** Name, role (none above your own), lifetime; then the token, shown this once. */
export function CreateApiTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!created}
      title={created ? `Token “${created.apiToken.name}” created` : 'New API token'}
      description={
        created
          ? 'Send it as “Authorization: Bearer <token>” with every API call.'
          : 'For scripts and automation: it acts as you, with the role you choose here.'
      }
    >
      {created ? (
        <CreatedView created={created} onDone={close} />
      ) : (
        <TokenForm onCreated={setCreated} onCancel={close} />
      )}
    </Dialog>
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
      <Field label="Name" htmlFor="token-name" error={form.fieldErrors.name}>
        <Input
          id="token-name"
          autoFocus
          autoComplete="off"
          placeholder="CI deploy"
          value={form.values.name}
          invalid={Boolean(form.fieldErrors.name)}
          onChange={(e) => form.set('name')(e.target.value)}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Role"
          htmlFor="token-role"
          error={form.fieldErrors.role}
          hint={roles.length === 1 ? 'A token cannot do more than you can.' : ROLE_SUMMARY[form.values.role as Role]}
        >
          <Select id="token-role" value={form.values.role} onChange={(e) => form.set('role')(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
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
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onCancel} disabled={form.pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={form.pending}>
          {form.pending ? 'Creating…' : 'Create token'}
        </Button>
      </div>
    </form>
  );
}

function CreatedView({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="info">
        This token is shown <strong>only once</strong>. Copy it now; if it is lost, revoke it and create another.
      </Alert>
      <SecretValue label="API token" value={created.token} />
      <p className="text-xs text-muted">
        Acts as <span className="text-fg">{created.apiToken.role}</span> until{' '}
        {formatTimestamp(created.apiToken.expiresAt)}.
      </p>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
