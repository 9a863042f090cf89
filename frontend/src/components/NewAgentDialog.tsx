import { useState } from 'react';
import type { CreatedAgent } from '../api/agents.ts';
import { CreatedAgentView } from './CreatedAgentView.tsx';
import { NewAgentForm } from './NewAgentForm.tsx';
import { Dialog } from './ui/Dialog.tsx';

/** Two steps in one dialog: the form, then the one-time token and command. */
export function NewAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedAgent | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!created}
      title={created ? `Agent “${created.agent.name}” created` : 'New agent'}
      description={
        created
          ? 'Run it on the host that should do the probing.'
          : 'An agent runs checks from the host it is installed on.'
      }
    >
      {created ? (
        <CreatedAgentView created={created} onDone={close} />
      ) : (
        <NewAgentForm onCreated={setCreated} onCancel={close} />
      )}
    </Dialog>
  );
}
