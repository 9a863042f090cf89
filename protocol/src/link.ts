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
  /** the agent's clock when it sent the batch (ISO-8601): the backend reports the skew from its own */
  sentAt: z.iso.datetime({ offset: true }).optional(),
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

/** Why the link refused a result: it will never be stored, so the agent must not send it again. */
export const RejectedResult = z.strictObject({
  id: z.uuid(),
  reason: z.string().max(500),
});
export type RejectedResult = z.infer<typeof RejectedResult>;

/**
 * Sent after the batch is committed: the agent may forget it. Every result of the batch is one of
 * inserted (new), duplicate (its id was already stored: a re-send, or an id used twice) or
 * rejected (refused by the link, with the reason).
 */
export const AckMessage = z.strictObject({
  type: z.literal('ack'),
  batchId: z.uuid(),
  /** how many of the batch's results were new (the rest were already stored or rejected) */
  inserted: z.number().int().nonnegative(),
  /** how many were already stored under their id */
  duplicates: z.number().int().nonnegative().optional(),
  rejected: z.array(RejectedResult).max(5_000).optional(),
});

/**
 * The backend could not commit the batch (its database or bus is down): nothing of it is stored.
 * The agent keeps the batch and sends it again on the same link, no sooner than retryAfterMs.
 */
export const NackMessage = z.strictObject({
  type: z.literal('nack'),
  batchId: z.uuid(),
  retryAfterMs: z.number().int().min(0).max(300_000),
  reason: z.string().max(500),
});

export const ErrorMessage = z.strictObject({
  type: z.literal('error'),
  message: z.string(),
});

export const BackendToAgent = z.discriminatedUnion('type', [
  ConfigMessage,
  CommandMessage,
  AckMessage,
  NackMessage,
  ErrorMessage,
]);
export type BackendToAgent = z.infer<typeof BackendToAgent>;

export const AGENT_LINK_PATH = '/api/v1/agents/link';
