const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are checked before a query: a malformed one is "not found", never a cast error. */
export const isUuid = (id: string) => UUID_RE.test(id);
