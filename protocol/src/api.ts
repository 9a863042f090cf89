import { z } from 'zod';
import { AgentAction, AgentConfig, AgentStatus, AgentType } from './agents.ts';
import { CheckSpec } from './checks.ts';
import { StreamedResult } from './results.ts';
import { pageOf } from './access.ts';
import { AgentLocation, Labels } from './check-objects.ts';

/** REST bodies of /api/v1. The backend validates with these; the dashboard types its calls with them. */

/** Agent config as the API takes it: checks only; the version is the backend's to keep. */
export const AgentConfigBody = z.strictObject({ checks: z.array(CheckSpec).max(10_000).default([]) });

export const AgentName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, 'must be 1-63 chars of letters, digits, space, "_", "-", "."');

export const CreateAgentBody = z.strictObject({
  name: AgentName,
  type: AgentType,
  /** checks to create (or reuse by id) and assign to the new agent */
  config: AgentConfigBody.default({ checks: [] }),
  labels: Labels.default({}),
  location: AgentLocation.nullable().default(null),
});

export const PatchAgentBody = z
  .strictObject({
    name: AgentName.optional(),
    /** the checks assigned to this agent by id (selector-assigned checks are not touched) */
    config: AgentConfigBody.optional(),
    labels: Labels.optional(),
    /** null clears it */
    location: AgentLocation.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one of name, config, labels, location');

export const AgentActionBody = z.strictObject({ action: AgentAction });

export const Agent = z.object({
  id: z.uuid(),
  name: z.string(),
  type: AgentType,
  ownerId: z.uuid().nullable(),
  managed: z.boolean(),
  config: AgentConfig,
  labels: z.record(z.string(), z.string()),
  location: AgentLocation.nullable(),
  status: AgentStatus,
  desiredState: z.enum(['running', 'stopped']),
  lastSeen: z.string().nullable(),
  /** the agent's clock minus the backend's when it last sent results, ms (null: not known yet) */
  clockSkewMs: z.number().int().nullable(),
  createdAt: z.string(),
});
export type Agent = z.infer<typeof Agent>;

export const AgentPage = pageOf(Agent);

/** POST /api/v1/agents answers with the agent plus its one-time token and the command that runs it. */
export const CreatedAgent = z.object({ agent: Agent, token: z.string(), command: z.string() });

export const MetricPoint = z.object({
  t: z.string(),
  avg: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  p95: z.number().nullable(),
  count: z.number(),
  failures: z.number(),
});
export const MetricSeries = z.object({ agentId: z.uuid(), checkId: z.string(), points: z.array(MetricPoint) });
export const MetricsResponse = z.object({
  metric: z.string(),
  from: z.string(),
  to: z.string(),
  stepSeconds: z.number(),
  series: z.array(MetricSeries),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

/** Frames on /ws/stream (server -> browser). */
/** At most this many results share one stream frame; more arriving together go in several frames. */
export const STREAM_FRAME_MAX_RESULTS = 1000;

export const StreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), user: z.string() }),
  /** the results that arrived together (one frame per turn of the backend's event loop, not per result) */
  z.object({ type: z.literal('results'), results: z.array(StreamedResult).min(1).max(STREAM_FRAME_MAX_RESULTS) }),
  /** a check was created, changed or deleted: refetch it */
  z.object({ type: z.literal('check'), id: z.string() }),
  z.object({
    type: z.literal('agent'),
    agent: z.object({ id: z.uuid(), status: AgentStatus, lastSeen: z.string().nullable() }),
  }),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

/** Browsers cannot set headers on a WebSocket: they send the JWT as a second subprotocol. */
export const STREAM_SUBPROTOCOL = 'nop.v1';
export const STREAM_TOKEN_PREFIX = 'nop.jwt.';
