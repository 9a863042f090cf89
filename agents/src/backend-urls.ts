/**
 * The backend to link to: one URL or several, comma-separated (`NOP_BACKEND_URL`, YAML `backend:`
 * as a string or a list). The agent tries them in order and fails over to the next one.
 */

const PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:']);

/** Why `value` is not a usable URL list, said as the tail of "<value> must …"; undefined when it is. */
export function backendUrlsProblem(value: string | readonly string[]): string | undefined {
  const entries = splitEntries(value);
  const several = entries.length > 1;
  const must = several
    ? 'must be http(s):// or ws(s):// URLs separated by commas'
    : 'must be an http(s):// or ws(s):// URL';
  for (const [index, entry] of entries.entries()) {
    if (!entry) return `${must} (entry ${index + 1} is empty)`;
    if (!isBackendUrl(entry)) return several ? `${must} (${JSON.stringify(entry)} is not)` : must;
  }
  return undefined;
}

/** "http://a:8080, https://b" (or a list) -> ['http://a:8080', 'https://b']; throws on a bad entry. */
export function parseBackendUrls(value: string | readonly string[]): string[] {
  const problem = backendUrlsProblem(value);
  if (problem) throw new Error(`backend URL ${JSON.stringify(String(value))} ${problem}`);
  return splitEntries(value);
}

/** The URL without user name or password, for logs and /health. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

function splitEntries(value: string | readonly string[]): string[] {
  const list = typeof value === 'string' ? value.split(',') : value.flatMap((item) => item.split(','));
  return list.map((entry) => entry.trim());
}

function isBackendUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return PROTOCOLS.has(url.protocol) && url.hostname.length > 0;
  } catch {
    return false;
  }
}
