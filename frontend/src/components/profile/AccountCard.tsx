import { PersonName } from '@nop/protocol';
import type { User } from '@nop/protocol';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/problem.ts';
import { useRename } from '../../hooks/useProfile.ts';
import { formatDateTime, useClockChoice } from '../../lib/format.ts';
import { ROLE_SUMMARY } from '../../lib/roles.ts';
import { RoleBadge } from '../RoleBadge.tsx';
import { Button } from '../ui/Button.tsx';
import { Field } from '../ui/Field.tsx';
import { Input } from '../ui/Input.tsx';
import { Panel } from '../ui/Panel.tsx';

/** Who you are here: the name you can change, the email and role an admin manages. */
export function AccountCard({ user }: { user: User }) {
  const rename = useRename();
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | null>(null);
  const changed = name.trim() !== user.name;
  useClockChoice(); // "Joined" in the chosen clock

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = PersonName.safeParse(name);
    if (!parsed.success) {
      setError('Enter a name of 1 to 100 characters.');
      return;
    }
    rename.mutate(parsed.data, { onError: (err) => setError(errorMessage(err)) });
  };

  return (
    <Panel title="Account">
      <form noValidate onSubmit={submit} className="space-y-4 p-4">
        <Field
          label="Name"
          htmlFor="profile-name"
          error={error ?? undefined}
          hint={rename.isSuccess && !changed ? 'Saved.' : undefined}
        >
          <div className="flex gap-2">
            <Input
              id="profile-name"
              autoComplete="name"
              value={name}
              invalid={Boolean(error)}
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
                rename.reset();
              }}
            />
            <Button type="submit" busy={rename.isPending} disabled={!changed}>
              Save
            </Button>
          </div>
        </Field>
        <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-2 text-sm">
          <dt className="text-xs font-medium tracking-wide text-muted uppercase">Email</dt>
          <dd className="truncate text-fg">{user.email}</dd>
          <dt className="text-xs font-medium tracking-wide text-muted uppercase">Role</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <RoleBadge role={user.role} />
            <span className="text-xs text-faint">{ROLE_SUMMARY[user.role]}</span>
          </dd>
          <dt className="text-xs font-medium tracking-wide text-muted uppercase">Joined</dt>
          <dd className="text-muted">{formatDateTime(user.createdAt)}</dd>
        </dl>
      </form>
    </Panel>
  );
}
