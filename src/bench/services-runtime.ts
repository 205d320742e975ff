/** A runtime on the real Redis and PostgreSQL with its own key prefix and schema, removed afterwards. */
import { Redis } from 'ioredis';
import pg from 'pg';
import { createRuntime, type Runtime } from '../app.js';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Where a bench runtime keeps its data. */
export interface BenchPlace {
  schema: string;
  prefix: string;
}

export function benchPlace(label = 'bench'): BenchPlace {
  const schema = `${label}_${process.pid}_${Date.now()}`;
  return { schema, prefix: `bench:${schema}` };
}

export function servicesEnv(place: BenchPlace, extraEnv: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL,
    DATABASE_URL,
    DATABASE_SCHEMA: place.schema,
    REDIS_KEY_PREFIX: place.prefix,
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '20',
    RATE_LIMIT_MAX: '1000',
    RATE_LIMIT_ADDRESS_MAX: '100000',
    // The bench measures queueing too: no turn is given up while a thousand wait their turn.
    TURN_TIMEOUT_MS: '120000',
    DATABASE_POOL_WAIT_MS: '120000',
    ...extraEnv,
  };
}

export async function withServicesRuntime<T>(
  extraEnv: Record<string, string>,
  work: (runtime: Runtime, place: BenchPlace) => Promise<T>,
): Promise<T> {
  const place = benchPlace();
  const runtime = await createRuntime(servicesEnv(place, extraEnv), { watchLocales: false });
  try {
    return await work(runtime, place);
  } finally {
    await runtime.close();
    await dropSchema(place.schema);
    await deleteKeys(place.prefix);
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

export async function deleteKeys(prefix: string, keep?: RegExp): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    const doomed = keep ? keys.filter((key) => !keep.test(key)) : keys;
    if (doomed.length > 0) await redis.del(...doomed);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}
