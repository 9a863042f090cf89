import { capitalize } from './text.ts';

/**
 * The check editor shows every error next to the field it is about, whether the protocol schema
 * found it in the browser (a zod path: ['jsonAssertions', 0, 'path']) or the API did (problem+json
 * `errors[].path`: "body.jsonAssertions[0].path"). Both become the same field key.
 */
export type PathKey = string | number;

/** "body.headers.X-Key" / "body.jsonAssertions[0].path" as segments; numbers for array indexes. */
export function parseErrorPath(path: string): PathKey[] {
  const out: PathKey[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g))
    out.push(match[1] !== undefined ? Number(match[1]) : match[2]!);
  return out;
}

/** Fields that are one control however deep the error sits (a header row, a list in one textarea). */
const WHOLE = new Set(['headers', 'expectStatus', 'expectAnswers', 'labels', 'agentIds', 'selector']);

/**
 * The editor field an error path belongs to: the top-level setting, except per-row keys for JSON
 * assertions ("jsonAssertions.2") and the two parts of basic auth ("basicAuth.password").
 * A path of the API's body starts with "body", which is dropped; an empty path is the form's.
 */
export function fieldKey(path: readonly PathKey[]): string {
  const parts = path[0] === 'body' ? path.slice(1) : path;
  const [head, next] = parts;
  if (head === undefined) return '_form';
  const name = String(head);
  if (WHOLE.has(name)) return name;
  if (name === 'jsonAssertions') return typeof next === 'number' ? `jsonAssertions.${next}` : name;
  if (name === 'basicAuth') return next === 'username' || next === 'password' ? `basicAuth.${next}` : name;
  return name;
}

/** One message per field, the first one found, capitalised like the rest of the dashboard's. */
export function toFieldErrors(
  errors: ReadonlyArray<{ path: string | readonly PathKey[]; message: string }>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, message } of errors) {
    const key = fieldKey(typeof path === 'string' ? parseErrorPath(path) : path);
    out[key] ??= capitalize(message);
  }
  return out;
}

interface Issue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  errors?: ReadonlyArray<ReadonlyArray<{ code?: string; message: string }>>;
  /** a record key's own issues ("Bad Name": must be an HTTP header name) */
  issues?: ReadonlyArray<{ message: string }>;
}

/**
 * A union's "Invalid input" and a record's "Invalid key in record" say nothing; the issue inside
 * that explains itself does ("\"soon\" is not a
 * duration like 500ms"), so that message is shown instead.
 */
function messageOf(issue: Issue): string {
  if (issue.code === 'invalid_key' && issue.issues?.[0]) {
    const key = issue.path.at(-1);
    return `${typeof key === 'string' ? `"${key.slice(0, 60)}": ` : ''}${issue.issues[0].message}`;
  }
  if (issue.code !== 'invalid_union' || !issue.errors) return issue.message;
  const telling = issue.errors.flat().find((branch) => branch.code !== 'invalid_type');
  return telling?.message ?? issue.message;
}

/** zod issues (client-side validation with the protocol's schemas) as field errors. */
export const issuesToCheckErrors = (issues: ReadonlyArray<Issue>): Record<string, string> =>
  toFieldErrors(
    issues.map((i) => ({ path: i.path.filter((p) => typeof p !== 'symbol') as PathKey[], message: messageOf(i) })),
  );

/** The errors that have no field on screen, for the banner above the form. */
export function unplacedErrors(errors: Record<string, string>, shown: ReadonlySet<string>): string[] {
  return Object.entries(errors)
    .filter(([key]) => !shown.has(key))
    .map(([key, message]) => (key === '_form' ? message : `${key}: ${message}`));
}
