/** src/db — the embedded backend: PGlite (PostgreSQL in WASM) behind the SqlDatabase interface. */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { SqlDatabase, SqlExecutor } from './database.js';

type Target = Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

async function run<R extends object>(target: Target, sql: string, params?: unknown[]): Promise<R[]> {
  if (params === undefined || params.length === 0) {
    // Simple protocol, like pg without values: several statements allowed.
    const results = await target.exec(sql);
    return (results.at(-1)?.rows ?? []) as R[];
  }
  const result = await target.query<R>(sql, params);
  return result.rows;
}

/**
 * One connection, so one thing at a time: queries and whole transactions take turns in
 * arrival order. (PGlite serializes too; this keeps the guarantee ours, whatever version.)
 */
class TurnQueue {
  #tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    // The next turn waits for this one to settle; its outcome is delivered through `result`.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** `dataDir`: a folder (created if missing) or 'memory://' for a throw-away database. */
export async function createPgliteDatabase(dataDir: string): Promise<SqlDatabase> {
  const inMemory = /^[a-z]+:\/\//i.test(dataDir);
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: { btree_gist } });
  const turns = new TurnQueue();

  return {
    kind: 'pglite',
    query: (sql, params) => turns.run(() => run(pglite, sql, params)),
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return turns.run(() =>
        pglite.transaction(async (transaction) => {
          const tx: SqlExecutor = { query: (sql, params) => run(transaction, sql, params) };
          return fn(tx);
        }),
      );
    },
    async ping() {
      await turns.run(() => pglite.query('select 1'));
    },
    async close() {
      await turns.run(async () => {
        if (!pglite.closed) await pglite.close();
      });
    },
  };
}
