/**
 * src/db/queries — what a repository runs its SQL through: the database itself, or one
 * transaction (see createRecords' `transaction`).
 */
import type { SqlDatabase, SqlExecutor } from '../database.js';

export interface QueryScope {
  readonly sql: SqlExecutor;
  readonly inTransaction: boolean;
  /** Statements that must take effect together: a transaction, or a savepoint inside one. */
  atomic<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * A statement that may fail on purpose (a constraint). Inside a transaction it runs under
   * a savepoint, so the transaction stays usable after the failure; outside, as is.
   */
  guarded<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T>;
}

export function databaseScope(db: SqlDatabase): QueryScope {
  return {
    sql: db,
    inTransaction: false,
    atomic: (fn) => db.transaction(fn),
    guarded: (fn) => fn(db),
  };
}

/** A scope bound to one open transaction; savepoints are numbered within it. */
export function transactionScope(tx: SqlExecutor): QueryScope {
  let savepoints = 0;
  async function savepoint<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    savepoints += 1;
    const name = `sp_${savepoints}`;
    await tx.query(`savepoint ${name}`);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      try {
        await tx.query(`rollback to savepoint ${name}`);
      } catch (rollbackError) {
        throw new AggregateError([error, rollbackError], `Rolling back to savepoint ${name} failed`);
      }
      throw error;
    }
    await tx.query(`release savepoint ${name}`);
    return result;
  }
  return { sql: tx, inTransaction: true, atomic: savepoint, guarded: savepoint };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from tools and HTTP; a malformed one is "not found", not a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
