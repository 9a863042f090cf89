/** The one relational-store interface; PGlite (embedded) and PostgreSQL (production) implement it. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** runs several statements (migrations); no parameters */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /** which engine answers: shown in logs and /readyz */
  readonly engine: 'pglite' | 'postgres';
  /** runs fn in one transaction: committed when it resolves, rolled back when it throws */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
