import { AgentLocation, LabelKey, LabelValue, MAX_LABELS, type AgentLocation as Location } from '@nop/protocol';
import { capitalize } from './text.ts';

/**
 * The agent's labels and location as the edit dialog handles them: labels typed as "key=value"
 * chips, location as four text fields; checked with the protocol's own schemas before sending,
 * and the API's field errors put back on the chip or field they are about.
 */

export type LabelEntry = { ok: true; key: string; value: string } | { ok: false; error: string };

/** One chip typed as "region=eu" (spaces around "=" forgiven). */
export function parseLabel(text: string, existing: Readonly<Record<string, string>>): LabelEntry {
  const match = /^\s*([^=\s]+)\s*=\s*(\S*)\s*$/.exec(text);
  if (!match) return { ok: false, error: 'Write a label as key=value, e.g. region=eu.' };
  const [, key, value] = match as unknown as [string, string, string];
  const k = LabelKey.safeParse(key);
  if (!k.success) return { ok: false, error: `Key ${k.error.issues[0]!.message}.` };
  const v = LabelValue.safeParse(value);
  if (!v.success) return { ok: false, error: `Value ${v.error.issues[0]!.message}.` };
  if (!(key in existing) && Object.keys(existing).length >= MAX_LABELS) {
    return { ok: false, error: `At most ${MAX_LABELS} labels.` };
  }
  return { ok: true, key, value };
}

export interface LocationFields {
  name: string;
  latitude: string;
  longitude: string;
  provider: string;
}

export const LOCATION_FIELDS = ['name', 'latitude', 'longitude', 'provider'] as const;

export const locationToFields = (location: Location | null | undefined): LocationFields => ({
  name: location?.name ?? '',
  latitude: location?.latitude === undefined ? '' : String(location.latitude),
  longitude: location?.longitude === undefined ? '' : String(location.longitude),
  provider: location?.provider ?? '',
});

/**
 * The fields as the API's location: null when all are empty (no location), else the object, or
 * the errors per field. Coordinates must come as a pair.
 */
export function fieldsToLocation(
  fields: LocationFields,
): { ok: true; location: Location | null } | { ok: false; errors: Partial<Record<keyof LocationFields, string>> } {
  const trimmed = {
    name: fields.name.trim(),
    latitude: fields.latitude.trim(),
    longitude: fields.longitude.trim(),
    provider: fields.provider.trim(),
  };
  if (!trimmed.name && !trimmed.latitude && !trimmed.longitude && !trimmed.provider)
    return { ok: true, location: null };
  const errors: Partial<Record<keyof LocationFields, string>> = {};
  const number = (key: 'latitude' | 'longitude') => {
    if (!trimmed[key]) return undefined;
    const n = Number(trimmed[key].replace(',', '.'));
    if (!Number.isFinite(n)) errors[key] = 'Must be a number in decimal degrees, e.g. 50.11.';
    return n;
  };
  const candidate = {
    name: trimmed.name,
    latitude: number('latitude'),
    longitude: number('longitude'),
    provider: trimmed.provider || undefined,
  };
  if (!trimmed.name) errors.name = 'Name the place (a city, a data centre) to give a location.';
  if (Boolean(trimmed.latitude) !== Boolean(trimmed.longitude)) {
    errors[trimmed.latitude ? 'longitude' : 'latitude'] = 'Give latitude and longitude together, or neither.';
  }
  const parsed = AgentLocation.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof LocationFields;
      errors[key] ??= capitalize(issue.message);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, location: parsed.data! };
}

export interface MetaErrors {
  /** per label key */
  labels: Record<string, string>;
  location: Partial<Record<keyof LocationFields, string>>;
  /** what fits no field */
  other: string[];
}

/**
 * The API's field errors (keyed by the last segment of their path: "body.location.latitude" ->
 * "latitude", "body.labels.region" -> "region") sorted onto the location fields and the label chips.
 */
export function sortMetaErrors(
  fieldErrors: Readonly<Record<string, string>>,
  labelKeys: readonly string[],
): MetaErrors {
  const out: MetaErrors = { labels: {}, location: {}, other: [] };
  for (const [name, message] of Object.entries(fieldErrors)) {
    if ((LOCATION_FIELDS as readonly string[]).includes(name) && !labelKeys.includes(name)) {
      out.location[name as keyof LocationFields] = capitalize(message);
    } else if (labelKeys.includes(name)) out.labels[name] = capitalize(message);
    else out.other.push(name === 'labels' || name === 'location' ? capitalize(message) : `${name}: ${message}`);
  }
  return out;
}
