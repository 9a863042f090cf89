import { CreateUserBody, type Role } from '@nop/protocol';
import { useCreateUser } from '../../hooks/useUsers.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { ROLE_SUMMARY } from '../../lib/roles.ts';
import { FormField } from '../FormField.tsx';
import { RoleSelect } from '../RoleSelect.tsx';
import { Alert } from '../ui/Alert.tsx';
import { CreateFormActions } from '../ui/CreateFormActions.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';

/** An account made directly, with a password the admin passes on (an invitation lets them pick their own). */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a user"
      description="You set the first password and pass it on; they can change it on their profile. An invitation lets them choose it themselves."
    >
      <CreateUserForm onDone={onClose} />
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

  return (
    <form noValidate onSubmit={form.onSubmit} className="space-y-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <FormField form={form} name="name" id="new-user-name" label="Name" autoComplete="off" />
      <FormField form={form} name="email" id="new-user-email" label="Email" type="email" autoComplete="off" />
      <FormField
        form={form}
        name="password"
        id="new-user-password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters."
      />
      <Field label="Role" htmlFor="new-user-role" hint={ROLE_SUMMARY[form.values.role as Role]}>
        <RoleSelect id="new-user-role" value={form.values.role} onChange={(e) => form.set('role')(e.target.value)} />
      </Field>
      <CreateFormActions pending={form.pending} onCancel={onDone} label="Create user" />
    </form>
  );
}
