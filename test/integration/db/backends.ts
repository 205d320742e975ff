/**
 * The two backends every db test runs against: the real PostgreSQL (a unique schema per
 * database, dropped afterwards) and an in-memory PGlite.
 */
import type { ChannelName } from '../../../src/core/messages.js';
import type { Records } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { migrate } from '../../../src/db/migrate.js';
import { createPgliteDatabase } from '../../../src/db/pglite.js';
import { createPostgresDatabase } from '../../../src/db/postgres.js';
import { DATABASE_URL, requirePostgres, uniqueName } from '../../support/services.js';

export interface Backend {
  name: 'postgres' | 'pglite';
  /** Fails with a clear message when the backend's server is not reachable. */
  require(): Promise<void>;
  /** A new empty database (not migrated). Pass `schema` to share one with another call. */
  open(options?: { schema?: string; poolSize?: number }): Promise<SqlDatabase>;
  /** Drops what `open` created (the schema on PostgreSQL) and closes `db`. */
  dispose(db: SqlDatabase, schema?: string): Promise<void>;
}

export const postgresBackend: Backend = {
  name: 'postgres',
  require: requirePostgres,
  open: (options = {}) =>
    createPostgresDatabase(DATABASE_URL, {
      schema: options.schema ?? uniqueName('db'),
      poolSize: options.poolSize ?? 5,
    }),
  async dispose(db, schema) {
    try {
      const [row] = await db.query<{ schema: string }>('select current_schema() as schema');
      const name = schema ?? row?.schema;
      if (name && name.startsWith('t_')) await db.query(`drop schema if exists "${name}" cascade`);
    } finally {
      await db.close();
    }
  },
};

export const pgliteBackend: Backend = {
  name: 'pglite',
  require: async () => undefined,
  open: () => createPgliteDatabase('memory://'),
  dispose: (db) => db.close(),
};

export const backends: Backend[] = [postgresBackend, pgliteBackend];

/** A migrated database for one test file, disposed in afterAll. */
export async function openMigrated(backend: Backend, options?: { poolSize?: number }): Promise<SqlDatabase> {
  await backend.require();
  const db = await backend.open(options);
  await migrate(db);
  return db;
}

let counter = 0;

/** An identity no other test uses. */
export function freshIdentity(channel: ChannelName = 'webchat'): { channel: ChannelName; externalId: string } {
  counter += 1;
  return { channel, externalId: `${uniqueName('ext')}_${counter}` };
}

export async function newPatient(records: Records, displayName: string | null = null): Promise<string> {
  const patient = await records.patients.findOrCreateByIdentity(freshIdentity(), { displayName });
  return patient.id;
}

/** 2031-03-04 at hh:mm UTC: far in the future, so never "past" for listUpcoming. */
export function at(hhmm: string, day = 4): Date {
  return new Date(`2031-03-${String(day).padStart(2, '0')}T${hhmm}:00.000Z`);
}
