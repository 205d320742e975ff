import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const REDIS_HINT =
  'Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';
const PG_HINT = 'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** A name unique to one test file's run, for Redis key prefixes and PostgreSQL schemas. */
export function uniqueName(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
}

/** Fails (never skips) with a clear message when the real Redis is not reachable. */
export async function requireRedis(): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${String(error)}). ${REDIS_HINT}`);
  } finally {
    client.disconnect();
  }
}

/** Fails (never skips) with a clear message when the real PostgreSQL is not reachable. */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${DATABASE_URL} (${String(error)}). ${PG_HINT}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A staff event with no database change of its own (the desk normally claims or resolves in it). */
export const noStaffChange = async (): Promise<{ apply: boolean; value: undefined }> => ({ apply: true, value: undefined });

/** SCAN (never KEYS) for the pattern and unlink what it finds. */
export async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    for await (const batch of redis.scanStream({ match: pattern, count: 200 })) {
      const keys = batch as string[];
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    await redis.quit();
  }
}

/** Drops a test file's PostgreSQL schema with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** Removes what a test deployment left behind: its schema and its Redis keys under `prefix`. */
export async function removeTestPlace(schema: string, prefix: string): Promise<void> {
  await dropSchema(schema);
  await deleteRedisKeys(`${prefix}:*`);
}
