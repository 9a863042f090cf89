import type { Agent, AgentAction } from '@nop/protocol';
import { errorMessage } from '../api/problem.ts';
import { useAgentAction } from '../hooks/useAgents.ts';
import { PlayIcon, RestartIcon, StopIcon } from './icons.tsx';
import { Button } from './ui/Button.tsx';

/**
 * Start / stop / restart. Which ones make sense follows the desired state (what was last asked),
 * not the live status, so a stop can be sent to an offline agent and applies when it reconnects.
 */
export function AgentActions({ agent }: { agent: Agent }) {
  const action = useAgentAction(agent.id);
  const pending = action.isPending ? action.variables : undefined;
  const running = agent.desiredState === 'running';

  const button = (kind: AgentAction, label: string, icon: React.ReactNode, enabled: boolean) => (
    <Button
      size="icon"
      variant="ghost"
      busy={pending === kind}
      disabled={!enabled || action.isPending}
      onClick={() => action.mutate(kind)}
      title={`${label} ${agent.name}`}
      aria-label={`${label} ${agent.name}`}
    >
      {pending !== kind && icon}
      <span className="hidden lg:inline">{label}</span>
    </Button>
  );

  return (
    <div className="flex items-center justify-end gap-0.5">
      {button('start', 'Start', <PlayIcon />, !running)}
      {button('stop', 'Stop', <StopIcon />, running)}
      {button('restart', 'Restart', <RestartIcon />, running && agent.status === 'online')}
      {action.isError && (
        <span role="alert" className="ml-1 max-w-40 truncate text-xs text-bad" title={errorMessage(action.error)}>
          {errorMessage(action.error)}
        </span>
      )}
    </div>
  );
}
