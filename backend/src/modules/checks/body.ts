import { CHECK_META_KEYS, CheckId, CheckMetaInput, CheckSpec, Labels, Selector, maskCheckSecrets } from '@nop/protocol';
import { z } from 'zod';
import { errors, parseOr400 } from '../../http/errors.ts';

/**
 * A check travels flat over the API: its spec's fields (type, target, interval, the type's
 * settings) beside its labels, enabled flag and assignment. This splits and validates the two
 * parts, naming every bad field by its path under `body`.
 */

const isMetaKey = (key: string): key is (typeof CHECK_META_KEYS)[number] =>
  (CHECK_META_KEYS as readonly string[]).includes(key);

export function splitCheckBody(body: unknown): { spec: Record<string, unknown>; meta: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw errors.validation('body: must be a JSON object describing the check', [
      { path: 'body', message: 'must be a JSON object describing the check' },
    ]);
  const spec: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) (isMetaKey(key) ? meta : spec)[key] = value;
  return { spec, meta };
}

export interface CheckMetaValues {
  labels: Record<string, string>;
  enabled: boolean;
  agentIds: string[];
  selector: Record<string, string>;
}

export function parseMeta(meta: Record<string, unknown>): CheckMetaValues {
  const parsed = parseOr400(CheckMetaInput, meta, 'body');
  return {
    labels: parsed.labels,
    enabled: parsed.enabled,
    agentIds: [...new Set(parsed.agentIds.map((id) => id.toLowerCase()))],
    selector: parseOr400(Selector, parsed.selector, 'body.selector'),
  };
}

/** PATCH: only what is sent changes. */
const PatchMeta = z.strictObject({
  labels: Labels.optional(),
  enabled: z.boolean().optional(),
  agentIds: z.array(z.uuid('must be an agent id (UUID)')).max(1000).optional(),
  selector: z.string().max(1024).optional(),
});

export function parseMetaPatch(meta: Record<string, unknown>, current: CheckMetaValues): CheckMetaValues {
  const parsed = parseOr400(PatchMeta, meta, 'body');
  return {
    labels: parsed.labels ?? current.labels,
    enabled: parsed.enabled ?? current.enabled,
    agentIds: parsed.agentIds ? [...new Set(parsed.agentIds.map((id) => id.toLowerCase()))] : current.agentIds,
    selector: parsed.selector !== undefined ? parseOr400(Selector, parsed.selector, 'body.selector') : current.selector,
  };
}

export const parseSpec = (spec: Record<string, unknown>): CheckSpec => parseOr400(CheckSpec, spec, 'body');

export const parseCheckId = (id: unknown, where: string) => parseOr400(CheckId, id, where);

/**
 * The spec a PATCH asks for: the stored one (secrets as the mask, so untouched secrets keep their
 * stored values when sealed) with the sent fields over it; `null` removes an optional setting. A new
 * type starts from the common fields only, since the old type's settings mean nothing to it.
 */
export function mergeSpecPatch(stored: CheckSpec, patch: Record<string, unknown>): Record<string, unknown> {
  if ('id' in patch && patch.id !== stored.id)
    throw errors.validation(`body.id: a check's id cannot change (clone it to get a new id)`, [
      { path: 'body.id', message: "a check's id cannot change (clone it to get a new id)" },
    ]);
  const masked = maskCheckSecrets(stored) as Record<string, unknown>;
  const base: Record<string, unknown> =
    patch.type !== undefined && patch.type !== stored.type
      ? { id: stored.id, target: stored.target, interval: stored.interval, timeout: stored.timeout }
      : masked;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
