import { LoginBody } from '@nop/protocol';
import { useEffect } from 'react';
import { login } from '../api/auth.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
import { Field } from '../components/ui/Field.tsx';
import { Input } from '../components/ui/Input.tsx';
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
        <Field label="Email" htmlFor="email" error={form.fieldErrors.email}>
          <Input
            id="email"
            type="email"
            autoComplete="email"
            autoFocus
            value={form.values.email}
            onChange={(e) => form.set('email')(e.target.value)}
            invalid={Boolean(form.fieldErrors.email)}
            aria-describedby={form.fieldErrors.email ? 'email-error' : undefined}
          />
        </Field>
        <Field label="Password" htmlFor="password" error={form.fieldErrors.password}>
          <Input
            id="password"
            type="password"
            autoComplete="current-password"
            value={form.values.password}
            onChange={(e) => form.set('password')(e.target.value)}
            invalid={Boolean(form.fieldErrors.password)}
            aria-describedby={form.fieldErrors.password ? 'password-error' : undefined}
          />
        </Field>
        <Button type="submit" variant="primary" busy={form.pending} className="w-full">
          {form.pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthLayout>
  );
}
