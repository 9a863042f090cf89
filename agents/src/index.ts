export { AGENT_BIN } from './bin-path.ts';
export { AGENT_VERSION } from './version.ts';
export { PROBERS, runCheck, closeIcmpSockets, ICMP_PERMISSION_MESSAGE, type Prober } from './checks/index.ts';
export { Scheduler, spreadOffset, type SchedulerOptions } from './scheduler.ts';
export { Outbox, type Batch } from './outbox.ts';
export { Link, linkUrl, type LinkOptions, type LinkTarget } from './link.ts';
export {
  loadConfig,
  ConfigError,
  AgentSettingsSchema,
  ENV_OVERRIDES,
  DEFAULT_LISTEN,
  type AgentSettings,
} from './config.ts';
export { AgentMetrics } from './metrics.ts';
export { startAgent, type RunningAgent } from './agent.ts';
