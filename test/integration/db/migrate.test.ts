import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../../src/db/database.js';
import { loadMigrations, migrate } from '../../../src/db/migrate.js';
import { uniqueName } from '../../support/services.js';
import { backends, postgresBackend } from './backends.js';

const TABLES = [
  'appointment_reminders',
  'appointments',
  'audit_log',
  'conversation_states',
  'escalations',
  'inbox',
  'messages',
  'outbox',
  'patient_identities',
  'patients',
  'schema_migrations',
  'staff_sessions',
  'staff_users',
  'teams_alert_cards',
  'teams_alert_channel',
  'teams_conversations',
  'teams_deliveries',
  'whatsapp_accounts',
  'whatsapp_keys',
  'whatsapp_sent',
];

describe.each(backends)('migrate on $name', (backend) => {
  let db: SqlDatabase;
  let scratch: string;

  beforeAll(async () => {
    await backend.require();
    db = await backend.open();
    scratch = await mkdtemp(join(tmpdir(), 'cab-migrations-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    if (db) await backend.dispose(db);
  });

  it('applies every file in order, then nothing on a second run', async () => {
    const files = (await loadMigrations()).map((migration) => migration.name);
    expect(files[0]).toBe('001_initial.sql');

    expect(await migrate(db)).toEqual(files);
    expect(await migrate(db)).toEqual([]);

    const tables = await db.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'
        order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(TABLES);
    const recorded = await db.query<{ name: string }>('select name from schema_migrations order by name');
    expect(recorded.map((row) => row.name)).toEqual(files);
  });

  it('runs each file in a transaction: a failing file leaves no trace and is not recorded', async () => {
    const directory = join(scratch, 'dir');
    await mkdir(directory);
    await writeFile(join(directory, '101_first.sql'), 'create table scratch_one (id int);');
    await writeFile(
      join(directory, '102_broken.sql'),
      'create table scratch_two (id int);\ninsert into scratch_two values (1);\nselect 1 / 0;',
    );
    const url = pathToFileURL(`${directory}/`);

    await expect(migrate(db, { directory: url })).rejects.toThrow(/division by zero/);
    const recorded = await db.query<{ name: string }>(
      "select name from schema_migrations where name like '10%' order by name",
    );
    expect(recorded.map((row) => row.name)).toEqual(['101_first.sql']);
    const tables = await db.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = current_schema() and table_name like 'scratch_%' order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(['scratch_one']);
  });
});

describe('migrate on postgres, two processes at once', () => {
  const schema = uniqueName('migrate_race');
  const databases: SqlDatabase[] = [];

  beforeAll(async () => {
    await postgresBackend.require();
  });

  afterAll(async () => {
    const [first, ...rest] = databases;
    for (const db of rest) await db.close();
    if (first) await postgresBackend.dispose(first, schema);
  });

  it('creates the schema and applies each migration exactly once', async () => {
    const opened = await Promise.all([1, 2, 3].map(() => postgresBackend.open({ schema, poolSize: 2 })));
    databases.push(...opened);

    const results = await Promise.all(opened.map((db) => migrate(db)));

    const files = (await loadMigrations()).map((migration) => migration.name);
    expect(results.flat().sort()).toEqual(files);
    const [db] = opened;
    if (!db) throw new Error('no database');
    const recorded = await db.query<{ name: string }>('select name from schema_migrations order by name');
    expect(recorded.map((row) => row.name)).toEqual(files);
    expect(await migrate(db)).toEqual([]);
  });
});
