/**
 * The error the database layers throw: the server's message and SQLSTATE code only. Drivers attach
 * the statement, its parameters and the server's detail (PGlite: `params`; PostgreSQL: `detail`
 * such as "Key (token_hash)=(…) already exists"), which would carry password hashes and token hashes
 * into any log that records the error. None of that survives here.
 */
export class DbError extends Error {
  override name = 'DbError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function sanitizeDbError(error: unknown): DbError {
  if (error instanceof DbError) return error;
  const e = error as { message?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' ? e.message.slice(0, 200) : 'database error';
  return new DbError(message, typeof e?.code === 'string' ? e.code : undefined);
}

/** Runs a driver call, rethrowing its failure as a DbError. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw sanitizeDbError(error);
  }
}
