import { z } from 'zod';
import { AgentStatus } from './agents.ts';
import { CheckSpec, CheckType } from './checks.ts';
import { pageOf } from './access.ts';

/**
 * Checks as objects of their own (`/api/v1/checks`): a check is written once and runs from every
 * agent it is assigned to, by id (`agentIds`) and/or by label selector (`selector: "region=eu"`).
 * The backend compiles each agent's versioned config from these assignments.
 */

/** Label keys and values, Kubernetes-style: short, no spaces, so a selector can name them. */
export const LabelKey = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9_./-]{0,61}[a-z0-9])?$/,
    'must be 1-63 chars of a-z, 0-9, "_", ".", "/", "-", starting and ending with a letter or digit',
  );
export const LabelValue = z
  .string()
  .regex(
    /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/,
    'must be at most 63 chars of letters, digits, "_", ".", "-", starting and ending with a letter or digit',
  );
export const MAX_LABELS = 32;
export const Labels = z
  .record(LabelKey, LabelValue)
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`);
export type Labels = z.infer<typeof Labels>;

/**
 * A label selector as people write it: `region=eu,role=edge` (every term must hold). Empty = no
 * agent is chosen by labels. Parsed to the map of required labels.
 */
export const Selector = z
  .string()
  .max(1024)
  .transform((text, ctx) => {
    const required: Record<string, string> = {};
    const terms = text
      .split(',')
      .map((term) => term.trim())
      .filter(Boolean);
    if (terms.length > 16) {
      ctx.addIssue({ code: 'custom', message: 'at most 16 terms' });
      return z.NEVER;
    }
    for (const term of terms) {
      const match = /^([^=\s]+)\s*=\s*(\S*)$/.exec(term);
      const key = match && LabelKey.safeParse(match[1]);
      const value = match && LabelValue.safeParse(match[2]);
      if (!match || !key?.success || !value?.success) {
        ctx.addIssue({ code: 'custom', message: `"${term.slice(0, 80)}" is not a term like region=eu` });
        return z.NEVER;
      }
      required[match[1]!] = match[2]!;
    }
    return required;
  });

/** The selector map written back as text, keys sorted: `region=eu,role=edge`. */
export const formatSelector = (required: Record<string, string>) =>
  Object.keys(required)
    .sort()
    .map((key) => `${key}=${required[key]}`)
    .join(',');

/** true when an agent with `labels` is chosen by `required` (a non-empty selector map). */
export const selectorMatches = (required: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(required).length > 0 && Object.entries(required).every(([key, value]) => labels[key] === value);

/** Where an agent runs: a name people know it by, optional coordinates, the network it sits in. */
export const AgentLocation = z.strictObject({
  name: z.string().trim().min(1).max(100),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  /** provider / ASN text: "Hetzner AS24940" */
  provider: z.string().trim().max(200).optional(),
});
export type AgentLocation = z.infer<typeof AgentLocation>;

/** The fields of a check object beside its spec (type, target and the type's settings). */
export const CheckMetaInput = z.strictObject({
  labels: Labels.default({}),
  enabled: z.boolean().default(true),
  /** agents that run the check, whatever their labels */
  agentIds: z.array(z.uuid('must be an agent id (UUID)')).max(1000).default([]),
  /** and every agent whose labels match */
  selector: z.string().max(1024).default(''),
});
export const CHECK_META_KEYS = ['labels', 'enabled', 'agentIds', 'selector'] as const;

/** An agent that runs a check (resolved from the assignments), as the check's page lists it. */
export const CheckAgent = z.object({
  id: z.uuid(),
  name: z.string(),
  status: AgentStatus,
  /** assigned by id, by the selector, or both */
  via: z.enum(['id', 'selector', 'both']),
});

/** A check as the API answers: its spec (secrets masked) plus labels, assignment and bookkeeping. */
export const CheckMeta = z.object({
  labels: z.record(z.string(), z.string()),
  enabled: z.boolean(),
  agentIds: z.array(z.uuid()),
  selector: z.string(),
  /** the agents running it now */
  agents: z.array(CheckAgent),
  ownerId: z.uuid().nullable(),
  /** grows by one on every change */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CheckMeta = z.infer<typeof CheckMeta>;
export type Check = CheckSpec & CheckMeta;

/** The answer schema (documentation and the dashboard's types; the spec part is loose here). */
export const CheckObject = CheckMeta.extend({
  id: z.string(),
  type: CheckType,
  target: z.string(),
  interval: z.number(),
  timeout: z.number(),
}).loose();

export const CheckPage = pageOf(CheckObject);

export const CheckAction = z.enum(['enable', 'disable']);
export const CheckActionBody = z.strictObject({ action: CheckAction });

/** Clone: a new id (made from type and target when absent); every other setting copied. */
export const CloneCheckBody = z.strictObject({ id: z.string().max(64).optional() });
