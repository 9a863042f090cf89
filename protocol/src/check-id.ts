import type { CheckType } from './checks.ts';
import { canonicalIPv6 } from './targets.ts';

/**
 * Check ids made from type and target, so nobody has to invent one: readable
 * ("https://api.example.com/health" -> "http-api.example.com-health"), always a valid CheckId
 * (^[a-z0-9][a-z0-9_.-]{0,63}$) and stable (one target, one id; two spellings of one IPv6 address,
 * one id).
 */

export const MAX_CHECK_ID_LENGTH = 64;

/**
 * Ids a new check may not take: the dashboard's /checks/new is the editor, so a check called "new"
 * could never be opened. (Agents' own configs may still use them; only check objects are refused.)
 */
export const RESERVED_CHECK_IDS: ReadonlySet<string> = new Set(['new']);

/** The suggested id of a check of `type` on `target`. Ids already taken: see uniqueCheckId. */
export function suggestCheckId(type: CheckType, target: string): string {
  const slug = targetSlug(target);
  return fitLength(slug ? `${type}-${slug}` : type);
}

/** `base`, or `base-2`, `base-3`… so a second check on the same target still gets a unique id. */
export function uniqueCheckId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = base.slice(0, MAX_CHECK_ID_LENGTH - suffix.length) + suffix;
    if (!taken.has(id)) return id;
  }
}

/**
 * IPv6 literals keep every colon as "-" ("2001:db8::1" -> "2001-db8--1"): squeezing "::" to one
 * "-", as other text is, would give 2001:db8::1 and 2001:db8:1:: the same id. A leading or trailing
 * "::" gets a 0 beside it, since an id may not start or end with "-" ("::1" -> "0--1").
 */
function ipv6Slug(text: string): string | undefined {
  const at = text.indexOf('%');
  const address = canonicalIPv6(at < 0 ? text : text.slice(0, at));
  if (address === undefined) return undefined;
  const padded = address.replace(/^::/, '0::').replace(/::$/, '::0');
  const zone = at < 0 ? '' : plainSlug(text.slice(at + 1));
  return padded.replace(/:/g, '-') + (zone ? `-${zone}` : '');
}

/** Anything but a-z 0-9 _ . - becomes one "-"; no "-" or "." at either end ("_" stays: _sip._tcp). */
function plainSlug(text: string): string {
  return text
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

function targetSlug(target: string): string {
  let text = target.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(text);
  if (scheme) {
    text = text.slice(scheme[0].length);
    // user:password@ would put a secret into metric labels and URLs
    text = text.replace(/^[^/?#]*@/, '');
  }
  const whole = ipv6Slug(text);
  if (whole !== undefined) return whole;
  // "[v6]:443", "http://[v6]:8080/x": the bracketed address keeps its colons, the rest is plain text
  const pieces = text.split(/(\[[^\]]*\])/).map((piece) => {
    const inner = /^\[(.*)\]$/.exec(piece)?.[1];
    return (inner !== undefined ? ipv6Slug(inner) : undefined) ?? plainSlug(piece);
  });
  return pieces.filter(Boolean).join('-');
}

/**
 * At most 64 characters. A longer id keeps its start and gets a short hash of the whole in place
 * of the rest, so two long targets that differ only at the end still get different ids.
 */
function fitLength(id: string): string {
  if (id.length <= MAX_CHECK_ID_LENGTH) return id;
  const hash = fnv1a(id).toString(36).padStart(7, '0');
  const head = id.slice(0, MAX_CHECK_ID_LENGTH - hash.length - 1).replace(/[-_.]+$/, '');
  return `${head}-${hash}`;
}

/** 32-bit FNV-1a: tiny, no dependency, the same in the browser and in Node. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
