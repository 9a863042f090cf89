import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { Session } from '../api/auth.ts';
import { ApiError, errorMessage } from '../api/problem.ts';
import { issuesToFieldErrors } from '../lib/formErrors.ts';
import { navigate } from '../lib/router.ts';
import { useAuth } from '../store/auth.ts';

/**
 * Shared by login and signup: validates with the protocol schema before sending (same rules as the
 * backend), sends, and on failure maps problem+json to a banner plus per-field messages.
 */
export function useAuthForm<F extends Record<string, string>>(options: {
  initial: F;
  schema: z.ZodType;
  submit: (values: F) => Promise<Session>;
  /** message for each field left empty: kinder than the schema's generic "too small" */
  required: Partial<Record<keyof F & string, string>>;
  /** extra wording per HTTP status, e.g. 401 on login */
  statusMessages?: Partial<Record<number, { field?: keyof F & string; message: string }>>;
}) {
  const { initial, schema, submit, required, statusMessages = {} } = options;
  const [values, setValues] = useState<F>(initial);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const signIn = useAuth((s) => s.signIn);

  const mutation = useMutation({
    mutationFn: submit,
    onSuccess: ({ token, user }) => {
      signIn(token, user);
      navigate('/', { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        const special = statusMessages[error.status];
        if (special?.field) {
          setFieldErrors({ [special.field]: error.detail ?? special.message });
          return;
        }
        setFieldErrors(error.fieldErrors);
        // Messages that land next to a field need no banner repeating them; anything else does.
        const unplaced = Object.keys(error.fieldErrors).filter((k) => !(k in values));
        const placed = Object.keys(error.fieldErrors).length > 0 && unplaced.length === 0;
        setFormError(placed ? null : (special?.message ?? errorMessage(error)));
        return;
      }
      setFormError(errorMessage(error));
    },
  });

  const set = (name: keyof F & string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    // The message was about the old value; keep the others until the next submit.
    setFieldErrors(({ [name]: _drop, ...rest }) => rest);
    setFormError(null);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (mutation.isPending) return;
    const parsed = schema.safeParse(values);
    const empty: Record<string, string> = {};
    for (const [name, message] of Object.entries(required)) {
      if (message && !String(values[name] ?? '').trim()) empty[name] = message;
    }
    if (!parsed.success || Object.keys(empty).length > 0) {
      setFieldErrors({ ...(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)), ...empty });
      setFormError(null);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    mutation.mutate(values);
  };

  return { values, set, fieldErrors, formError, onSubmit, pending: mutation.isPending };
}
