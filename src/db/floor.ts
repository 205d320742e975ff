/**
 * src/db — for the bench's floor only: a fresh copy of a bench schema's structure with its
 * patients (the replayed statements name them), to replay a run's statements into.
 */
import { openDatabase } from './open.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createFloorSchema(url: string, schema: string, source: string): Promise<{ drop(): Promise<void> }> {
  if (!SCHEMA_NAME.test(schema) || !SCHEMA_NAME.test(source)) throw new Error('bench schema names must be lowercase identifiers');
  const { db } = await openDatabase({ databaseUrl: url, dataDir: 'memory://', postgres: { schema, poolSize: 2 } });
  try {
    await db.query(`insert into "${schema}".patients select * from "${source}".patients`);
    await db.query(`insert into "${schema}".patient_identities select * from "${source}".patient_identities`);
  } catch (error) {
    await db.query(`drop schema if exists "${schema}" cascade`);
    await db.close();
    throw error;
  }
  return {
    async drop() {
      await db.query(`drop schema if exists "${schema}" cascade`);
      await db.close();
    },
  };
}
