import { LoginBody } from '@nop/protocol';
import { useEffect, useState } from 'react';
import { login } from '../api/auth.ts';
import { FormField } from '../components/FormField.tsx';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { SubmitButton } from '../components/ui/SubmitButton.tsx';
import { useAuthForm } from '../hooks/useAuthForm.ts';
import { useAuthOptions } from '../hooks/useAuthOptions.ts';
import { useAuth } from '../store/auth.ts';

export function Login() {
  // The sign-out reason is shown once: kept here, forgotten in the store. (Clearing it in an effect's
  // cleanup instead would lose it at once under StrictMode, which mounts effects twice.)
  const [notice] = useState(() => useAuth.getState().notice);
  const clearNotice = useAuth((s) => s.clearNotice);
  const options = useAuthOptions().data;
  const form = useAuthForm({
    initial: { email: '', password: '' },
    schema: LoginBody,
    required: { email: 'Enter your email.', password: 'Enter your password.' },
    submit: login,
    // 403 (disabled), 429 (too many attempts, with the wait) and 503 carry the server's own sentence
    statusMessages: { 401: { message: 'Wrong email or password.' } },
  });

  useEffect(() => clearNotice(), [clearNotice]);

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Watch your checks and agents live."
      footer={
        options?.firstUser || options?.signupOpen ? (
          <>
            {options.firstUser ? 'New server, no accounts yet?' : 'No account yet?'}{' '}
            <Link href="/signup" className="font-medium text-accent hover:underline">
              Create one
            </Link>
            {options.firstUser && (
              <span className="mt-1 block text-xs text-faint">The first account becomes the admin.</span>
            )}
          </>
        ) : options ? (
          'New here? Ask an admin for an invitation link.'
        ) : null
      }
    >
      <form noValidate onSubmit={form.onSubmit} className="space-y-4">
        {notice && !form.formError && <Alert tone="info">{notice}</Alert>}
        {form.formError && <Alert>{form.formError}</Alert>}
        <FormField form={form} name="email" label="Email" type="email" autoComplete="email" autoFocus />
        <FormField form={form} name="password" label="Password" type="password" autoComplete="current-password" />
        <SubmitButton pending={form.pending} pendingLabel="Signing in…" className="w-full">
          Sign in
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
