import { z } from 'zod';
import { CheckSpec } from './checks.ts';

/** The agent's type is the check family it runs; `multi` runs any mix. */
export const AgentType = z.enum(['ping', 'http', 'dns', 'traceroute', 'multi']);
export type AgentType = z.infer<typeof AgentType>;

/** Which check type each single-family agent type may hold. */
export const CHECK_TYPE_OF_AGENT: Record<Exclude<AgentType, 'multi'>, string> = {
  ping: 'icmp',
  http: 'http',
  dns: 'dns',
  traceroute: 'traceroute',
};

export const AgentStatus = z.enum(['pending', 'online', 'stopped', 'offline']);
export type AgentStatus = z.infer<typeof AgentStatus>;

export const AgentAction = z.enum(['start', 'stop', 'restart']);
export type AgentAction = z.infer<typeof AgentAction>;

/** What an agent runs. `version` grows by one on every change so agents apply configs in order. */
export const AgentConfig = z.strictObject({
  version: z.number().int().nonnegative(),
  checks: z.array(CheckSpec).max(10_000),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
