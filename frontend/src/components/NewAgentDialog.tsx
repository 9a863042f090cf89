import { CreatedAgentView } from './CreatedAgentView.tsx';
import { NewAgentForm } from './NewAgentForm.tsx';
import { ShownOnceDialog } from './ui/ShownOnceDialog.tsx';

/** Two steps in one dialog: the form, then the one-time token and command. */
export function NewAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ShownOnceDialog
      open={open}
      onClose={onClose}
      title={(created) => (created ? `Agent “${created.agent.name}” created` : 'New agent')}
      description={(created) =>
        created
          ? 'Run it on the host that should do the probing.'
          : 'An agent runs checks from the host it is installed on.'
      }
      Form={NewAgentForm}
      Created={CreatedAgentView}
    />
  );
}
