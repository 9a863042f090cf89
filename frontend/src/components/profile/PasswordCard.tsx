import { ChangePasswordBody } from '@nop/protocol';
import { useChangePassword } from '../../hooks/useProfile.ts';
import { useValidatedForm } from '../../hooks/useValidatedForm.ts';
import { FormField } from '../FormField.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Panel } from '../ui/Panel.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';

const EMPTY = { currentPassword: '', newPassword: '', confirm: '' };

/** Current password, new one twice. Success ends every other session; this tab carries on with a new one. */
export function PasswordCard() {
  const change = useChangePassword();
  const form = useValidatedForm({
    initial: EMPTY,
    schema: ChangePasswordBody,
    toBody: ({ currentPassword, newPassword }) => ({ currentPassword, newPassword }),
    required: {
      currentPassword: 'Enter your current password.',
      newPassword: 'Choose a new password.',
      confirm: 'Type the new password again.',
    },
    validate: (v) => (v.confirm && v.confirm !== v.newPassword ? { confirm: 'The two new passwords differ.' } : {}),
    submit: (body) => change.mutateAsync(body),
    resetOnSuccess: true,
  });

  return (
    <Panel title="Password">
      <form
        noValidate
        onSubmit={(e) => {
          change.reset();
          form.onSubmit(e);
        }}
        className="space-y-4 p-4"
      >
        {change.isSuccess && <Alert tone="info">Password changed. Your other sessions were signed out.</Alert>}
        {form.formError && <Alert>{form.formError}</Alert>}
        <FormField
          form={form}
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            form={form}
            name="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
          />
          <FormField
            form={form}
            name="confirm"
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
          />
        </div>
        <div className="flex items-center justify-between gap-3">
          <p className="text-xs text-faint">Changing it signs you out on every other device.</p>
          <SubmitButton pending={form.pending} pendingLabel="Changing…">
            Change password
          </SubmitButton>
        </div>
      </form>
    </Panel>
  );
}
