/**
 * The search box: every whitespace-separated word must appear (case-insensitively) in at least one
 * of the fields, so "api 443" finds the check on api.example.com:443.
 */
export function matchesQuery(query: string, fields: ReadonlyArray<string | null | undefined>): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fields.filter(Boolean).map((f) => f!.toLowerCase());
  return words.every((word) => haystack.some((field) => field.includes(word)));
}
