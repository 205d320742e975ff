/** A runtime on the real Redis and PostgreSQL with its own key prefix and schema, removed afterwards. */
import { Redis } from 'ioredis';
import pg from 'pg';
import { createRuntime, type Runtime } from '../app.js';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export async function withServicesRuntime<T>(extraEnv: Record<string, string>, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const prefix = `bench:${schema}`;
  const runtime = await createRuntime(
    {
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: '20',
      RATE_LIMIT_MAX: '1000',
      ...extraEnv,
    },
    { watchLocales: false },
  );
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
    await dropSchema(schema);
    await deleteKeys(prefix);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}
