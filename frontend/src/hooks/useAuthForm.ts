import type { TokenResponse } from '../api/auth.ts';
import { navigate } from '../lib/router.ts';
import { useAuth } from '../store/auth.ts';
import { useValidatedForm, type ValidatedFormOptions } from './useValidatedForm.ts';

/** Sign-in, sign-up and accepting an invitation: a form whose answer is a session, then the overview. */
export function useAuthForm<F extends Record<string, string>, B>(
  options: Omit<ValidatedFormOptions<F, B, TokenResponse>, 'onSuccess'>,
) {
  const signIn = useAuth((s) => s.signIn);
  return useValidatedForm({
    ...options,
    onSuccess: ({ token, user }) => {
      signIn(token, user);
      navigate('/', { replace: true });
    },
  });
}
