import { SignupBody } from '@nop/protocol';
import { signup } from '../api/auth.ts';
import { AuthField } from '../components/AuthField.tsx';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
import { useAuthForm } from '../hooks/useAuthForm.ts';

export function Signup() {
  const form = useAuthForm({
    initial: { name: '', email: '', password: '' },
    schema: SignupBody,
    required: { name: 'Enter your name.', email: 'Enter your email.', password: 'Choose a password.' },
    submit: signup,
    statusMessages: { 409: { field: 'email', message: 'An account with this email already exists.' } },
  });

  return (
    <AuthLayout
      title="Create your account"
      subtitle="The first account on a new server becomes its admin."
      footer={
        <>
          Already have an account?{' '}
          <Link href="/login" className="font-medium text-accent hover:underline">
            Sign in
          </Link>
        </>
      }
    >
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
    </AuthLayout>
  );
}
