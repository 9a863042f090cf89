import { SignupBody } from '@nop/protocol';
import { signup } from '../api/auth.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Button } from '../components/ui/Button.tsx';
import { Field } from '../components/ui/Field.tsx';
import { Input } from '../components/ui/Input.tsx';
import { useAuthForm } from '../hooks/useAuthForm.ts';

export function Signup() {
  const form = useAuthForm({
    initial: { name: '', email: '', password: '' },
    schema: SignupBody,
    required: { name: 'Enter your name.', email: 'Enter your email.', password: 'Choose a password.' },
    submit: signup,
    statusMessages: { 409: { field: 'email', message: 'An account with this email already exists.' } },
  });
  const err = form.fieldErrors;

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
        <Field label="Name" htmlFor="name" error={err.name}>
          <Input
            id="name"
            autoComplete="name"
            autoFocus
            value={form.values.name}
            onChange={(e) => form.set('name')(e.target.value)}
            invalid={Boolean(err.name)}
            aria-describedby={err.name ? 'name-error' : undefined}
          />
        </Field>
        <Field label="Email" htmlFor="email" error={err.email}>
          <Input
            id="email"
            type="email"
            autoComplete="email"
            value={form.values.email}
            onChange={(e) => form.set('email')(e.target.value)}
            invalid={Boolean(err.email)}
            aria-describedby={err.email ? 'email-error' : undefined}
          />
        </Field>
        <Field label="Password" htmlFor="password" error={err.password} hint="At least 8 characters.">
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            value={form.values.password}
            onChange={(e) => form.set('password')(e.target.value)}
            invalid={Boolean(err.password)}
            aria-describedby={err.password ? 'password-error' : undefined}
          />
        </Field>
        <Button type="submit" variant="primary" busy={form.pending} className="w-full">
          {form.pending ? 'Creating account…' : 'Create account'}
        </Button>
      </form>
    </AuthLayout>
  );
}
