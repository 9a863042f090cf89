/**
 * Messages between backend replicas (and, in embedded mode, between modules of one process).
 * Payloads are plain JSON values; subscribers validate what they need.
 */
export type BusHandler = (message: unknown) => void;

export interface Bus {
  readonly engine: 'memory' | 'redis';
  publish(channel: BusChannel, message: unknown): Promise<void>;
  /** returns the function that unsubscribes */
  subscribe(channel: BusChannel, handler: BusHandler): Promise<() => void>;
  close(): Promise<void>;
}

/** Every channel in one place, so a reader sees all traffic between replicas. */
export const CHANNELS = {
  /** StreamedResult, after it is committed */
  results: 'results',
  /** {id, status, lastSeen}: an agent's state changed */
  agentStatus: 'agent-status',
  /** {agentId, command}: deliver a command to the replica holding the agent's link */
  agentCommand: 'agent-command',
  /** {agentId}: an agent's config changed; the replica holding its link sends it */
  agentConfig: 'agent-config',
  /** {id}: a check was created, changed or deleted (open dashboards refetch it) */
  checks: 'checks',
  /** {sessions?, tokens?, users?}: these sessions / API tokens / users' credentials stopped working */
  authRevoked: 'auth-revoked',
} as const;
export type BusChannel = (typeof CHANNELS)[keyof typeof CHANNELS];
