import { z } from 'zod';
import { AgentConfig } from './agents.ts';
import { CheckResult } from './results.ts';

/**
 * Agent <-> backend messages on the agent's outbound WebSocket (`/api/v1/agents/link`,
 * `Authorization: Bearer <agent token>`). JSON text frames, one message each, validated by these
 * schemas at both ends.
 */

/** First message from the agent after the socket opens. */
export const RegisterMessage = z.strictObject({
  type: z.literal('register'),
  agentVersion: z.string().max(64),
  hostname: z.string().max(255),
  /** the config version the agent already runs (0 when none) */
  configVersion: z.number().int().nonnegative(),
});

/** Results sent in batches; the agent keeps a batch until the backend acks it. */
export const ResultBatchMessage = z.strictObject({
  type: z.literal('results'),
  batchId: z.uuid(),
  results: z.array(CheckResult).min(1).max(5_000),
});

/** The agent's run state after it obeyed a command (or at register). */
export const AgentStateMessage = z.strictObject({
  type: z.literal('state'),
  state: z.enum(['running', 'stopped']),
});

export const AgentToBackend = z.discriminatedUnion('type', [RegisterMessage, ResultBatchMessage, AgentStateMessage]);
export type AgentToBackend = z.infer<typeof AgentToBackend>;

/** The whole config; sent after register and whenever it changes. */
export const ConfigMessage = z.strictObject({
  type: z.literal('config'),
  config: AgentConfig,
});

/** start/stop/restart the check scheduler; reload re-applies the last config. */
export const CommandMessage = z.strictObject({
  type: z.literal('command'),
  command: z.enum(['start', 'stop', 'restart', 'reload']),
});

/** Sent after the batch is committed: the agent may forget it. */
export const AckMessage = z.strictObject({
  type: z.literal('ack'),
  batchId: z.uuid(),
  /** how many of the batch's results were new (the rest were already stored) */
  inserted: z.number().int().nonnegative(),
});

export const ErrorMessage = z.strictObject({
  type: z.literal('error'),
  message: z.string(),
});

export const BackendToAgent = z.discriminatedUnion('type', [ConfigMessage, CommandMessage, AckMessage, ErrorMessage]);
export type BackendToAgent = z.infer<typeof BackendToAgent>;

export const AGENT_LINK_PATH = '/api/v1/agents/link';
