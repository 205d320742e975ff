import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptHarness } from '../../conversations/harness.js';
import { DATABASE_URL, REDIS_URL, requirePostgres, requireRedis } from '../../support/services.js';

/** `npm run patient:erase -- --channel whatsapp --id <LID or phone number>` on the real PostgreSQL. */

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../../src/privacy/erase-cli.ts');
let harness: ScriptHarness;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  harness = await ScriptHarness.open('2026-11-23T09:00:00Z');
});
afterAll(async () => harness?.close());

/** A WhatsApp patient known by LID and phone number, with a turn in the transcript and signal keys. */
async function whatsappPatient(lidUser: string, phone: string): Promise<string> {
  const { records, whatsappState, assistant } = harness.runtime;
  const lid = `${lidUser}@lid`;
  const patient = await records.patients.findOrCreateByIdentity({ channel: 'whatsapp', externalId: lid }, { displayName: 'Ana' });
  await records.patients.linkIdentity(patient.id, { channel: 'whatsapp', externalId: `${phone}@s.whatsapp.net` });
  await assistant.handle({ channel: 'whatsapp', conversationId: lid, senderId: lid, messageId: `m-${lidUser}`, text: 'Olá', at: new Date() });
  await whatsappState.auth.claim('default', 1);
  await whatsappState.auth.write('default', 1, {
    keys: [
      { type: 'lid-mapping', id: phone, value: `"${lidUser}"` },
      { type: 'session', id: `${lidUser}_1.0`, value: '"s"' },
    ],
  });
  return patient.id;
}

function erase(id: string) {
  return run('npx', ['tsx', cli, '--channel', 'whatsapp', '--id', id], {
    env: { ...process.env, REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: harness.schemaName, REDIS_KEY_PREFIX: harness.keyPrefix, LOG_LEVEL: 'warn' },
  });
}

describe('erasing a WhatsApp patient', () => {
  it('finds them by phone number as people write it, or by LID, and erases what the keys know of them too', async () => {
    const byPhone = await whatsappPatient('77300000000001', '351920000021');
    const byLid = await whatsappPatient('77300000000002', '351920000022');

    const first = await erase('+351 920 000 021');
    expect(JSON.parse(first.stdout)).toMatchObject({ erased: byPhone, deleted: { identities: 2, messages: 2 } });
    const second = await harness.runtime.privacy.erasePatientByIdentity({ channel: 'whatsapp', externalId: '77300000000002@lid' });
    expect(second).toMatchObject({ patientId: byLid, deleted: { identities: 2 } });
    expect(await harness.runtime.privacy.erasePatientByIdentity({ channel: 'whatsapp', externalId: '+351 920 000 021' })).toBeNull();

    expect(await harness.query('select 1 from patient_identities where channel = $1', ['whatsapp'])).toEqual([]);
    expect(await harness.query('select 1 from whatsapp_keys')).toEqual([]);
  });
});
