import { SignupBody } from '@nop/protocol';
import { signup } from '../api/auth.ts';
import { AuthField } from '../components/AuthField.tsx';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
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
    <AuthLayout
      title="Create your account"
      subtitle={subtitle}
      footer={
        <>
          Already have an account?{' '}
          <Link href="/login" className="font-medium text-accent hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      {closed ? (
        <Alert tone="info">
          New accounts join by invitation. Ask an admin to invite you, then open the link you were sent.
        </Alert>
      ) : (
        <form noValidate onSubmit={form.onSubmit} className="space-y-4">
          {form.formError && <Alert>{form.formError}</Alert>}
          <AuthField form={form} name="name" label="Name" autoComplete="name" autoFocus />
          <AuthField form={form} name="email" label="Email" type="email" autoComplete="email" />
          <AuthField
            form={form}
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
          />
          <Button type="submit" variant="primary" busy={form.pending} className="w-full">
            {form.pending ? 'Creating account…' : 'Create account'}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
