/** src/db — the PostgreSQL backend: a `pg.Pool` behind the SqlDatabase interface. */
import pg from 'pg';
import { ConfigError } from '../core/errors.js';
import { SCHEMA_LOCK_KEY, type SqlDatabase, type SqlExecutor } from './database.js';

export interface PostgresOptions {
  /** Schema to work in; created if missing and put first on every connection's search_path. */
  schema?: string;
  /** Maximum connections in the pool (pg's default is 10). */
  poolSize?: number;
  /**
   * Called when an idle pooled connection fails (e.g. the server restarted); the pool has
   * already dropped that connection. Defaults to a process warning.
   */
  onIdleError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

async function run<R extends object>(client: Queryable, sql: string, params?: unknown[]): Promise<R[]> {
  // Without values pg uses the simple protocol, which allows several statements and then
  // resolves to one result per statement.
  const result: pg.QueryResult<pg.QueryResultRow> | pg.QueryResult<pg.QueryResultRow>[] =
    params === undefined || params.length === 0 ? await client.query(sql) : await client.query(sql, params);
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as R[];
}

export async function createPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<SqlDatabase> {
  const { schema, poolSize } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`Database schema "${schema}" must match ${String(SCHEMA_NAME)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    ...(poolSize === undefined ? {} : { max: poolSize }),
    // Set at connection start-up, so every pooled connection has it before its first query.
    // `public` stays on the path: extensions (btree_gist) live there.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema},public` }),
  });
  const onIdleError =
    options.onIdleError ??
    ((error: Error) => process.emitWarning(`PostgreSQL pool: idle connection failed: ${error.message}`));
  pool.on('error', onIdleError);

  let closed = false;
  const database: SqlDatabase = {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let open = true;
      const tx: SqlExecutor = {
        async query<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
          if (!open) throw new Error('This transaction has already ended');
          return run<R>(client, sql, params);
        },
      };
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: destroy it rather than return it to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        open = false;
        client.release(broken);
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };

  if (schema !== undefined) {
    try {
      await database.transaction(async (tx) => {
        // Two processes creating one schema at once would otherwise race on pg_namespace.
        await tx.query('select pg_advisory_xact_lock($1::bigint)', [SCHEMA_LOCK_KEY]);
        await tx.query(`create schema if not exists "${schema}"`);
      });
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}
