/**
 * Characters PostgreSQL cannot store: NUL (not in text or jsonb) and a lone UTF-16 surrogate (not
 * Unicode; jsonb refuses its escape). The HTTP input guard refuses them, naming the field; data an
 * agent measured is scrubbed instead.
 */
export const NUL = '\u0000';
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE = new RegExp(`${NUL}|${LONE_SURROGATE.source}`, 'g');

const scrubString = (text: string) =>
  text.includes(NUL) || LONE_SURROGATE.test(text) ? text.replace(UNSTORABLE, '\uFFFD') : text;

/**
 * The JSON value with every NUL and lone UTF-16 surrogate replaced by U+FFFD. For data an agent
 * measured (an error text quoting a server's bytes, say): refusing the batch would make the agent
 * re-send it forever. Copy on write: a clean value (nearly every batch) comes back as it is, with
 * nothing allocated on the ingest path.
 */
export function scrubText<T>(value: T): T {
  if (typeof value === 'string') return scrubString(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = scrubText(item);
      if (clean !== item) (copy ??= [...value])[i] = clean;
    });
    return (copy ?? value) as T;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const clean = entries.map(([k, v]) => [scrubString(k), scrubText(v)] as const);
    return clean.some(([k, v], i) => k !== entries[i]![0] || v !== entries[i]![1])
      ? (Object.fromEntries(clean) as T)
      : value;
  }
  return value;
}
