const PATTERN = '\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
// two objects: a global RegExp keeps a lastIndex between test() calls, which would skip matches
const HAS_UNSTORABLE = new RegExp(PATTERN);
const UNSTORABLE = new RegExp(PATTERN, 'g');

/**
 * A copy of a JSON value with every NUL and lone UTF-16 surrogate replaced by U+FFFD. For data an
 * agent measured (an error text quoting a server's bytes, say): PostgreSQL cannot store those
 * characters, and refusing the batch would make the agent re-send it forever.
 */
export function scrubText<T>(value: T): T {
  if (typeof value === 'string') return (HAS_UNSTORABLE.test(value) ? value.replace(UNSTORABLE, '\uFFFD') : value) as T;
  if (Array.isArray(value)) return value.map(scrubText) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubText(k), scrubText(v)])) as T;
  return value;
}
