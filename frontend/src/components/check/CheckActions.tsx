import type { Check } from '@nop/protocol';
import { useState } from 'react';
import { errorMessage } from '../../api/problem.ts';
import { useCheckAction, useRemoveCheck } from '../../hooks/useChecks.ts';
import { checkEditPath } from '../../lib/checkPaths.ts';
import { canChangeCheck, canCreateChecks } from '../../lib/checkPermissions.ts';
import { navigate } from '../../lib/router.ts';
import { useAuth } from '../../store/auth.ts';
import { useQueryClient } from '@tanstack/react-query';
import { checkKey } from '../../hooks/useCheck.ts';
import { PlayIcon, StopIcon, TrashIcon } from '../icons.tsx';
import { Link } from '../Link.tsx';
import { Button } from '../ui/Button.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { CloneCheckDialog } from './CloneCheckDialog.tsx';

const LINK_BUTTON =
  'inline-flex h-7 items-center rounded-md border border-line-strong bg-panel-2 px-2.5 text-xs text-fg hover:bg-line';

/**
 * Edit, Clone, Enable/Disable, Delete — each shown only to those the API would let do it (owners
 * and admins change a check, editors and admins create one), so no button earns a 403.
 */
export function CheckActions({ check }: { check: Check }) {
  const user = useAuth((s) => s.user);
  const change = canChangeCheck(user, check);
  const create = canCreateChecks(user);
  const qc = useQueryClient();
  const act = useCheckAction(check.id);
  const remove = useRemoveCheck(check.id);
  const [confirming, setConfirming] = useState(false);
  const [cloning, setCloning] = useState(false);

  if (!change.allowed && !create.allowed)
    return (
      <span className="text-xs text-faint" title={change.reason}>
        Read-only
      </span>
    );

  const toggle = () =>
    act.mutate(check.enabled ? 'disable' : 'enable', {
      onSuccess: (updated) => qc.setQueryData(checkKey(check.id), updated),
    });

  return (
    <>
      {change.allowed && (
        <Link href={checkEditPath(check.id)} className={LINK_BUTTON}>
          Edit
        </Link>
      )}
      {create.allowed && (
        <Button size="sm" onClick={() => setCloning(true)}>
          Clone
        </Button>
      )}
      {change.allowed && (
        <>
          <Button
            size="sm"
            busy={act.isPending}
            onClick={toggle}
            title={act.isError ? errorMessage(act.error) : undefined}
          >
            {check.enabled ? <StopIcon /> : <PlayIcon />}
            {check.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button size="sm" variant="ghost" className="hover:text-bad" onClick={() => setConfirming(true)}>
            <TrashIcon /> Delete
          </Button>
        </>
      )}
      {act.isError && (
        <span role="alert" className="w-full text-right text-xs text-bad">
          {errorMessage(act.error)}
        </span>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Delete check “${check.id}”?`}
        description="Its agents stop running it at once. Results already stored stay in the history until they age out."
        confirmLabel="Delete check"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              qc.removeQueries({ queryKey: checkKey(check.id) });
              navigate('/');
            },
          })
        }
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
      />
      <CloneCheckDialog check={check} open={cloning} onClose={() => setCloning(false)} />
    </>
  );
}
