import { SignupBody } from '@nop/protocol';
import { signup } from '../api/auth.ts';
import { FormField } from '../components/FormField.tsx';
import { AuthLayout, SignInInstead } from '../components/AuthLayout.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { SubmitButton } from '../components/ui/SubmitButton.tsx';
import { useAuthForm } from '../hooks/useAuthForm.ts';
import { useAuthOptions } from '../hooks/useAuthOptions.ts';

/**
 * Sign-up is open for the first account (it becomes admin) and, with NOP_SIGNUP=open, for anyone;
 * otherwise people join by invitation and this page says so instead of offering a form that fails.
 */
export function Signup() {
  const options = useAuthOptions().data;
  const closed = options !== undefined && !options.firstUser && !options.signupOpen;
  const form = useAuthForm({
    initial: { name: '', email: '', password: '' },
    schema: SignupBody,
    required: { name: 'Enter your name.', email: 'Enter your email.', password: 'Choose a password.' },
    submit: signup,
    statusMessages: { 409: { field: 'email', message: 'An account with this email already exists.' } },
  });

  const subtitle = closed
    ? 'Sign-up is closed on this server.'
    : options?.firstUser
      ? 'No account exists yet: this first one becomes the admin of this server.'
      : 'Join this server. An admin decides what new accounts may do.';

  return (
    <AuthLayout title="Create your account" subtitle={subtitle} footer={<SignInInstead />}>
      {closed ? (
        <Alert tone="info">
          New accounts join by invitation. Ask an admin to invite you, then open the link you were sent.
        </Alert>
      ) : (
        <form noValidate onSubmit={form.onSubmit} className="space-y-4">
          {form.formError && <Alert>{form.formError}</Alert>}
          <FormField form={form} name="name" label="Name" autoComplete="name" autoFocus />
          <FormField form={form} name="email" label="Email" type="email" autoComplete="email" />
          <FormField
            form={form}
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
          />
          <SubmitButton pending={form.pending} pendingLabel="Creating account…" className="w-full">
            Create account
          </SubmitButton>
        </form>
      )}
    </AuthLayout>
  );
}
