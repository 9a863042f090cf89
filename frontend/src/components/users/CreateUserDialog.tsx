import { CreateUserBody, type Role } from '@nop/protocol';
import { useCreateUser } from '../../hooks/useUsers.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { ROLE_SUMMARY, ROLES } from '../../lib/roles.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { Input, Select } from '../ui/Input.tsx';

/** An account made directly, with a password the admin passes on (an invitation lets them pick their own). */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a user"
      description="You set the first password and pass it on; they can change it on their profile. An invitation lets them choose it themselves."
    >
      {open && <CreateUserForm onDone={onClose} />}
    </Dialog>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const create = useCreateUser();
  const form = useValidatedForm({
    initial: { name: '', email: '', password: '', role: 'viewer' },
    schema: CreateUserBody,
    required: { name: 'Enter their name.', email: 'Enter their email.', password: 'Choose a first password.' },
    submit: (body) => create.mutateAsync(body),
    onSuccess: onDone,
    statusMessages: { 409: { field: 'email', message: 'An account with this email already exists.' } },
  });
  const field = (name: 'name' | 'email' | 'password', label: string, type = 'text', hint?: string) => (
    <Field label={label} htmlFor={`new-user-${name}`} error={form.fieldErrors[name]} hint={hint}>
      <Input
        id={`new-user-${name}`}
        type={type}
        autoComplete={name === 'password' ? 'new-password' : 'off'}
        value={form.values[name]}
        invalid={Boolean(form.fieldErrors[name])}
        aria-describedby={form.fieldErrors[name] ? `new-user-${name}-error` : undefined}
        onChange={(e) => form.set(name)(e.target.value)}
      />
    </Field>
  );

  return (
    <form noValidate onSubmit={form.onSubmit} className="space-y-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      {field('name', 'Name')}
      {field('email', 'Email', 'email')}
      {field('password', 'Password', 'password', 'At least 8 characters.')}
      <Field label="Role" htmlFor="new-user-role" hint={ROLE_SUMMARY[form.values.role as Role]}>
        <Select id="new-user-role" value={form.values.role} onChange={(e) => form.set('role')(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onDone} disabled={form.pending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={form.pending}>
          {form.pending ? 'Creating…' : 'Create user'}
        </Button>
      </div>
    </form>
  );
}
