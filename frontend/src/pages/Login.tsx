import { LoginBody } from '@nop/protocol';
import { useEffect } from 'react';
import { login } from '../api/auth.ts';
import { AuthField } from '../components/AuthField.tsx';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
import { useAuthForm } from '../hooks/useAuthForm.ts';
import { useAuth } from '../store/auth.ts';

export function Login() {
  const notice = useAuth((s) => s.notice);
  const clearNotice = useAuth((s) => s.clearNotice);
  const form = useAuthForm({
    initial: { email: '', password: '' },
    schema: LoginBody,
    required: { email: 'Enter your email.', password: 'Enter your password.' },
    submit: login,
    statusMessages: { 401: { message: 'Wrong email or password.' } },
  });

  // The sign-out reason is shown once, then forgotten.
  useEffect(() => () => clearNotice(), [clearNotice]);

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Watch your checks and agents live."
      footer={
        <>
          No account yet?{' '}
          <Link href="/signup" className="font-medium text-accent hover:underline">
            Create one
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={form.onSubmit} className="space-y-4">
        {notice && !form.formError && <Alert tone="info">{notice}</Alert>}
        {form.formError && <Alert>{form.formError}</Alert>}
        <AuthField form={form} name="email" label="Email" type="email" autoComplete="email" autoFocus />
        <AuthField form={form} name="password" label="Password" type="password" autoComplete="current-password" />
        <Button type="submit" variant="primary" busy={form.pending} className="w-full">
          {form.pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthLayout>
  );
}
