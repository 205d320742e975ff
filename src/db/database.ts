/**
 * src/db — the system of record. Every SQL statement of the project lives under this folder.
 *
 * The two backends (PostgreSQL through `pg`, embedded PGlite) are reached through this one
 * small interface; nothing outside src/db should know which one is running.
 */

/** Something that runs SQL: the database itself, or one open transaction. */
export interface SqlExecutor {
  /**
   * Runs one statement with `$1…$n` parameters and returns its rows.
   * Without parameters the text may hold several statements (simple protocol, as in a
   * migration file); the rows of the last one are returned.
   */
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** A transaction opened with `begin()`; exactly one of commit/rollback ends it. */
export interface SqlTransaction extends SqlExecutor {
  commit(): Promise<void>;
  /** Undoes everything; never throws (a connection that cannot roll back is discarded). */
  rollback(): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /**
   * Opens a transaction on one connection for a caller that decides later whether to commit
   * (a turn opens one only when its first write comes). Same rule as `transaction`: use only
   * the returned executor until it ends.
   */
  begin(): Promise<SqlTransaction>;
  /**
   * Runs fn inside BEGIN … COMMIT on one connection; rolls back and rethrows when fn throws.
   * Use only `tx` inside fn: on PGlite, calling the database itself from inside fn waits
   * for the transaction to end (a deadlock).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'postgres' | 'pglite';
}

/**
 * Key of the advisory lock taken while creating a schema or applying migrations, so that
 * two processes starting at once against one PostgreSQL database take turns.
 * (Database-wide on purpose: CREATE EXTENSION is database-wide too.)
 */
export const SCHEMA_LOCK_KEY = 7_404_551_001;

/** `transaction(fn)` in terms of `begin()`: commit when fn resolves, roll back when it throws. */
export async function runInTransaction<T>(begin: () => Promise<SqlTransaction>, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const tx = await begin();
  let result: T;
  try {
    result = await fn(tx);
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  await tx.commit();
  return result;
}
