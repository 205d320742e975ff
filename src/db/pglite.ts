/** src/db — the embedded backend: PGlite (PostgreSQL in WASM) behind the SqlDatabase interface. */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { runInTransaction, type SqlDatabase, type SqlTransaction } from './database.js';

async function run<R extends object>(pglite: PGlite, sql: string, params?: unknown[]): Promise<R[]> {
  if (params === undefined || params.length === 0) {
    // Simple protocol, like pg without values: several statements allowed.
    const results = await pglite.exec(sql);
    return (results.at(-1)?.rows ?? []) as R[];
  }
  const result = await pglite.query<R>(sql, params);
  return result.rows;
}

/**
 * One connection, so one thing at a time: a query, or a whole transaction from BEGIN to its
 * end, holds the connection and the others wait in arrival order.
 */
class ConnectionTurns {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves when the connection is ours; call the returned function to hand it on. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => released);
    return acquired;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/**
 * PGlite's buffers live in the process's own memory (WASM), so PostgreSQL's 128 MB default
 * buffer cache becomes RSS as the database grows; the operating system's file cache serves the
 * data files just as well, so a small buffer cache costs little speed and saves most of that.
 */
const MEMORY_SETTINGS = ['-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'];

/** `dataDir`: a folder (created if missing) or 'memory://' for a throw-away database. */
export async function createPgliteDatabase(dataDir: string): Promise<SqlDatabase> {
  const inMemory = /^[a-z]+:\/\//i.test(dataDir);
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: { btree_gist }, startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS] });
  const turns = new ConnectionTurns();

  async function begin(): Promise<SqlTransaction> {
    const release = await turns.acquire();
    let open = true;
    const end = (): void => {
      open = false;
      release();
    };
    try {
      await pglite.exec('BEGIN');
    } catch (error) {
      end();
      throw error;
    }
    return {
      query<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
        if (!open) return Promise.reject(new Error('This transaction has already ended'));
        return run<R>(pglite, sql, params);
      },
      async commit() {
        if (!open) throw new Error('This transaction has already ended');
        try {
          await pglite.exec('COMMIT');
        } catch (error) {
          await pglite.exec('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          end();
        }
      },
      async rollback() {
        if (!open) return;
        try {
          await pglite.exec('ROLLBACK');
        } finally {
          end();
        }
      },
    };
  }

  return {
    kind: 'pglite',
    query: (sql, params) => turns.run(() => run(pglite, sql, params)),
    begin,
    transaction: (fn) => runInTransaction(begin, fn),
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
