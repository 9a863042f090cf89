import type { CreatedAgent } from '../api/agents.ts';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { SecretValue } from './ui/SecretValue.tsx';

/** The one moment the agent token exists in the clear: show it with the command, and copy buttons. */
export function CreatedAgentView({ created, onDone }: { created: CreatedAgent; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <Alert tone="info">
        This token is shown <strong>only once</strong>. Copy it now; if it is lost, delete the agent and create it
        again.
      </Alert>
      <SecretValue label="Agent token" value={created.token} />
      <SecretValue label="Run the agent on a host" value={created.command} multiline />
      <p className="text-xs text-muted">
        “{created.agent.name}” shows as <span className="text-fg">Pending</span> until the agent connects, then turns{' '}
        <span className="text-ok">Online</span>.
      </p>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
