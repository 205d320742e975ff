/**
 * src/db — choosing the backend at start-up (SPEC §8): PostgreSQL when a URL is given,
 * otherwise PGlite in `dataDir`; the schema is migrated before the database is returned.
 */
import type { SqlDatabase } from './database.js';
import { migrate } from './migrate.js';
import { createPostgresDatabase, type PostgresOptions } from './postgres.js';

export interface OpenDatabaseOptions {
  /** DATABASE_URL; without it the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite folder (e.g. ./data), or 'memory://'. Only one process may open a folder. */
  dataDir: string;
  postgres?: PostgresOptions;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<{ db: SqlDatabase; applied: string[] }> {
  // PGlite is loaded only when it is used: its code alone weighs some 45 MB of memory.
  const db = options.databaseUrl
    ? await createPostgresDatabase(options.databaseUrl, options.postgres)
    : await (await import('./pglite.js')).createPgliteDatabase(options.dataDir);
  try {
    const applied = await migrate(db);
    return { db, applied };
  } catch (error) {
    await db.close();
    throw error;
  }
}
