/**
 * src/db — schema migrations: plain `.sql` files in ./migrations, named `NNN_description.sql`,
 * applied in name order, each in its own transaction, recorded in `schema_migrations`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { SCHEMA_LOCK_KEY, type SqlDatabase } from './database.js';

export const MIGRATIONS_DIRECTORY = new URL('./migrations/', import.meta.url);

const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;

export interface Migration {
  name: string;
  sql: string;
}

/** The migration files of `directory`, in the order they apply. */
export async function loadMigrations(directory: URL = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => MIGRATION_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(new URL(name, directory), 'utf8') })),
  );
}

/**
 * Applies the migrations not yet recorded and returns their names (empty when up to date).
 * Safe when several processes start at once against one PostgreSQL: each file's transaction
 * first takes an advisory lock, then re-checks whether another process applied it meanwhile.
 */
export async function migrate(db: SqlDatabase, options: { directory?: URL } = {}): Promise<string[]> {
  const migrations = await loadMigrations(options.directory);
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1::bigint)', [SCHEMA_LOCK_KEY]);
      await tx.query(
        `create table if not exists schema_migrations (
           name       text PRIMARY KEY,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await tx.query<{ name: string }>('select name from schema_migrations where name = $1', [
        migration.name,
      ]);
      if (done.length > 0) return false;
      await tx.query(migration.sql);
      await tx.query('insert into schema_migrations (name) values ($1)', [migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
