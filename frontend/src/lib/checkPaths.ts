/**
 * Where a check's pages live. Check ids are [a-z0-9_.-] (protocol CheckId), so they sit in a path
 * as they are; decoding anyway keeps a hand-typed %2E working.
 */
export const NEW_CHECK_PATH = '/checks/new';
export const checkPagePath = (id: string) => `/checks/${encodeURIComponent(id)}`;
export const checkEditPath = (id: string) => `${checkPagePath(id)}/edit`;

export type CheckRoute = { view: 'new' } | { view: 'page' | 'edit'; id: string };

/** The check page a path names, or null for any other path. */
export function parseCheckPath(pathname: string): CheckRoute | null {
  if (pathname === NEW_CHECK_PATH) return { view: 'new' };
  const match = /^\/checks\/([^/]+)(\/edit)?$/.exec(pathname);
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  return { view: match[2] ? 'edit' : 'page', id };
}
