/**
 * Where the backend lives. VITE_API_URL empty means "same origin": the backend serves this app, and
 * the Vite dev server proxies /api and /ws. These helpers are pure so they can be unit tested.
 */

export type QueryValue = string | number | boolean | null | undefined;

/** Strips trailing slashes so `base + path` never doubles them. */
export function normalizeBase(base: string | undefined): string {
  return (base ?? '').trim().replace(/\/+$/, '');
}

/** `base` + `path` + `?query`, leaving out null/undefined/'' values. */
export function apiUrl(base: string | undefined, path: string, query?: Record<string, QueryValue>): string {
  const prefix = normalizeBase(base);
  const suffix = path.startsWith('/') ? path : `/${path}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return `${prefix}${suffix}${qs ? `?${qs}` : ''}`;
}

/** ws(s):// URL of a socket path: from VITE_API_URL when set, else from the page's own origin. */
export function socketUrl(
  base: string | undefined,
  page: { protocol: string; host: string },
  path = '/ws/stream',
): string {
  const origin = normalizeBase(base);
  if (origin) {
    const url = new URL(path, `${origin}/`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${path}`;
}
