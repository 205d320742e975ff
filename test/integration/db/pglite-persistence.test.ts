import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SlotTakenError } from '../../../src/core/errors.js';
import { migrate } from '../../../src/db/migrate.js';
import { openDatabase } from '../../../src/db/open.js';
import { createPgliteDatabase } from '../../../src/db/pglite.js';
import { createRecords } from '../../../src/db/records.js';
import { at } from './backends.js';

describe('PGlite in a folder', () => {
  const folders: string[] = [];

  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('creates the folder, and the data is there after reopening', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'cab-pglite-'));
    folders.push(parent);
    const dataDir = join(parent, 'nested', 'data');

    const first = await openDatabase({ dataDir });
    expect(first.db.kind).toBe('pglite');
    expect(first.applied).toEqual(['001_initial.sql', '002_staff_console.sql', '003_exactly_once.sql', '004_whatsapp.sql', '005_teams.sql', '006_reminders.sql']);
    const records = createRecords(first.db);
    const patient = await records.patients.findOrCreateByIdentity({ channel: 'cli', externalId: 'local' }, { displayName: 'Ana' });
    const appointment = await records.appointments.create({
      patientId: patient.id,
      doctorId: 'dr_a',
      serviceId: 'cleaning',
      startsAt: at('10:00'),
      endsAt: at('11:00'),
    });
    await records.close();

    const reopened = await createPgliteDatabase(dataDir);
    try {
      expect(await migrate(reopened)).toEqual([]);
      const again = createRecords(reopened);
      expect((await again.patients.findOrCreateByIdentity({ channel: 'cli', externalId: 'local' }, {})).id).toBe(patient.id);
      expect(await again.appointments.findById(appointment.id)).toMatchObject({ status: 'booked', startsAt: at('10:00') });
      // The exclusion constraint (btree_gist) survives the reopen too.
      await expect(
        again.appointments.create({ patientId: patient.id, doctorId: 'dr_a', serviceId: 'x', startsAt: at('10:30'), endsAt: at('11:30') }),
      ).rejects.toBeInstanceOf(SlotTakenError);
    } finally {
      await reopened.close();
    }
  });

  it('queues concurrent transactions instead of interleaving them', async () => {
    const db = await createPgliteDatabase('memory://');
    try {
      await db.query('create table counter (n int not null)');
      await db.query('insert into counter values (0)');
      // Read-modify-write with a pause in between: interleaving would lose updates.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          db.transaction(async (tx) => {
            const [row] = await tx.query<{ n: number }>('select n from counter');
            await new Promise((resolve) => setTimeout(resolve, 5));
            await tx.query('update counter set n = $1', [(row?.n ?? 0) + 1]);
          }),
        ),
      );
      const [row] = await db.query<{ n: number }>('select n from counter');
      expect(row?.n).toBe(10);
    } finally {
      await db.close();
    }
  });
});
