import type { CreatedAgent } from '../api/agents.ts';
import { SecretValue } from './ui/SecretValue.tsx';
import { ShownOnce } from './ui/ShownOnce.tsx';

/** The one moment the agent token exists in the clear: show it with the command, and copy buttons. */
export function CreatedAgentView({ created, onDone }: { created: CreatedAgent; onDone: () => void }) {
  return (
    <ShownOnce what="token" ifLost="delete the agent and create it again." onDone={onDone}>
      <SecretValue label="Agent token" value={created.token} />
      <SecretValue label="Run the agent on a host" value={created.command} multiline />
      <p className="text-xs text-muted">
        “{created.agent.name}” shows as <span className="text-fg">Pending</span> until the agent connects, then turns{' '}
        <span className="text-ok">Online</span>.
      </p>
    </ShownOnce>
  );
}
