/** src/db — the PostgreSQL backend: a `pg.Pool` behind the SqlDatabase interface. */
import pg from 'pg';
import { ConfigError } from '../core/errors.js';
import { SCHEMA_LOCK_KEY, runInTransaction, type SqlDatabase, type SqlTransaction } from './database.js';
import { sqlState } from './sql-errors.js';

/**
 * Bounds on every wait, so a PostgreSQL that hangs (rather than refuses) fails a request within
 * seconds instead of holding it for as long as TCP allows.
 */
export interface PostgresTimeouts {
  /** Opening a connection (a server that accepts TCP but never answers the start-up). */
  connectMs: number;
  /** Waiting for a free pooled connection: queueing under load, so longer than connecting. */
  poolWaitMs: number;
  /** Client side: a statement with no answer by then fails, and its connection is discarded. */
  queryMs: number;
  /** Server side: PostgreSQL cancels a statement running longer. */
  statementMs: number;
  /** Server side: a session idle inside an open transaction this long is ended (its process froze or died). */
  idleInTransactionMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = {
  connectMs: 2_000,
  poolWaitMs: 10_000,
  queryMs: 5_000,
  statementMs: 4_000,
  idleInTransactionMs: 10_000,
};

export interface PostgresOptions {
  /** Schema to work in; created if missing and put first on every connection's search_path. */
  schema?: string;
  /** Maximum connections in the pool (pg's default is 10). */
  poolSize?: number;
  timeouts?: Partial<PostgresTimeouts>;
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

/** pg's client-side query timeout: the connection may still be waiting for an answer, so it is unusable. */
function isClientTimeout(error: unknown): boolean {
  return error instanceof Error && /Query read timeout/i.test(error.message);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * One statement on a pooled connection. pg-pool's own `query` discards the connection after any
 * error, a refused constraint included (a lost booking race would cost a reconnect); here only
 * errors that leave the connection in doubt do.
 */
async function runPooled<R extends object>(pool: pg.Pool, sql: string, params?: unknown[]): Promise<R[]> {
  const client = await pool.connect();
  try {
    const rows = await run<R>(client, sql, params);
    client.release();
    return rows;
  } catch (error) {
    client.release(sqlState(error) === undefined ? asError(error) : undefined);
    throw error;
  }
}

/** Opens a transaction on a pooled connection; the connection goes back (or is discarded) when it ends. */
async function beginOn(pool: pg.Pool): Promise<SqlTransaction> {
  const client = await pool.connect();
  let open = true;
  const end = (broken?: Error): void => {
    open = false;
    client.release(broken);
  };
  try {
    await client.query('BEGIN');
  } catch (error) {
    end(asError(error));
    throw error;
  }
  return {
    async query<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
      if (!open) throw new Error('This transaction has already ended');
      try {
        return await run<R>(client, sql, params);
      } catch (error) {
        // A timed-out connection may still hold the statement: it cannot even roll back.
        if (isClientTimeout(error)) end(asError(error));
        throw error;
      }
    },
    async commit() {
      if (!open) throw new Error('This transaction has already ended');
      try {
        await client.query('COMMIT');
        end();
      } catch (error) {
        // Whether a COMMIT that failed midway took effect is unknown to us: never reuse the connection.
        end(asError(error));
        throw error;
      }
    },
    async rollback() {
      if (!open) return;
      try {
        await client.query('ROLLBACK');
        end();
      } catch (error) {
        end(asError(error));
      }
    },
  };
}

export async function createPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<SqlDatabase> {
  const { schema, poolSize } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`Database schema "${schema}" must match ${String(SCHEMA_NAME)}`);
  }
  const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...options.timeouts };
  // pg-pool hands its connectionTimeoutMillis to each client it opens too: this client keeps its own.
  class BoundedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: timeouts.connectMs });
    }
  }
  const pool = new pg.Pool({
    Client: BoundedClient,
    connectionString: url,
    ...(poolSize === undefined ? {} : { max: poolSize }),
    // Set at connection start-up, so every pooled connection has it before its first query.
    // `public` stays on the path: extensions (btree_gist) live there.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema},public` }),
    connectionTimeoutMillis: timeouts.poolWaitMs,
    query_timeout: timeouts.queryMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    keepAlive: true,
  });
  const onIdleError =
    options.onIdleError ??
    ((error: Error) => process.emitWarning(`PostgreSQL pool: idle connection failed: ${error.message}`));
  pool.on('error', onIdleError);

  let closed = false;
  const database: SqlDatabase = {
    kind: 'postgres',
    query: (sql, params) => runPooled(pool, sql, params),
    begin: () => beginOn(pool),
    transaction: (fn) => runInTransaction(() => beginOn(pool), fn),
    async ping() {
      await runPooled(pool, 'select 1');
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
