import type { Agent } from '@nop/protocol';
import { useState } from 'react';
import { errorMessage } from '../api/problem.ts';
import { useDeleteAgent } from '../hooks/useAgents.ts';
import { LockIcon, TrashIcon } from './icons.tsx';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Dialog } from './ui/Dialog.tsx';

/** Delete with a confirmation; managed agents (defined in the server's config) can't be deleted here. */
export function DeleteAgentButton({ agent }: { agent: Agent }) {
  const [open, setOpen] = useState(false);
  const del = useDeleteAgent(agent.id);

  if (agent.managed) {
    return (
      <span
        className="grid size-7 place-items-center text-faint"
        title="Managed by the server's configuration: change it there"
      >
        <LockIcon />
        <span className="sr-only">Managed agent</span>
      </span>
    );
  }

  const close = () => {
    if (del.isPending) return;
    setOpen(false);
    del.reset();
  };

  return (
    <>
      <Button
        size="icon"
        variant="ghost"
        className="hover:text-bad"
        onClick={() => setOpen(true)}
        title={`Delete ${agent.name}`}
        aria-label={`Delete ${agent.name}`}
      >
        <TrashIcon />
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={`Delete agent “${agent.name}”?`}
        description="Its token stops working at once and its checks stop reporting. This cannot be undone."
      >
        {del.isError && (
          <div className="mb-4">
            <Alert>{errorMessage(del.error)}</Alert>
          </div>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={close} disabled={del.isPending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            busy={del.isPending}
            onClick={() => del.mutate(undefined, { onSuccess: () => setOpen(false) })}
          >
            Delete agent
          </Button>
        </div>
      </Dialog>
    </>
  );
}
