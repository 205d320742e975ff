import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationKeyString } from '../../../src/core/messages.js';
import { ScriptHarness } from '../../conversations/harness.js';
import { requirePostgres, requireRedis } from '../../support/services.js';

const run = promisify(execFile);
let harness: ScriptHarness;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  harness = await ScriptHarness.open('2026-11-23T09:00:00Z');
});
afterAll(async () => harness?.close());

async function say(conversationId: string, text: string) {
  return harness.runtime.assistant.handle({ channel: 'webchat', conversationId, senderId: conversationId, messageId: randomUUID(), text, at: new Date() });
}

describe('privacy', () => {
  it('erases a patient on request: transcript, appointments, hot state; the audit log keeps that it happened', async () => {
    const id = `erase-${randomUUID()}`;
    await say(id, 'I want to book a filling');
    await say(id, '1');
    await say(id, 'yes');
    const key = conversationKeyString({ channel: 'webchat', conversationId: id });
    expect(await harness.runtime.hotStore.getConversation(key)).not.toBeNull();
    const patient = await harness.runtime.records.patients.findByIdentity({ channel: 'webchat', externalId: id });
    expect(patient).not.toBeNull();

    const result = await harness.runtime.privacy.erasePatientByIdentity({ channel: 'webchat', externalId: id });
    expect(result?.deleted).toMatchObject({ messages: 6, appointments: 1, identities: 1 });
    expect(await harness.runtime.hotStore.getConversation(key)).toBeNull();
    expect(await harness.query('select 1 from messages where conversation_id = $1', [id])).toEqual([]);
    expect(await harness.query('select 1 from appointments where patient_id = $1', [patient!.id])).toEqual([]);
    const audit = await harness.query<{ action: string }>('select action from audit_log where patient_id = $1 order by id', [patient!.id]);
    expect(audit.map((a) => a.action)).toEqual(['appointment.booked', 'patient.erased']);
    expect(await harness.runtime.privacy.erasePatientByIdentity({ channel: 'webchat', externalId: id })).toBeNull();
  });

  it('purges transcripts older than the retention period and keeps newer ones', async () => {
    const old = `old-${randomUUID()}`;
    await say(old, 'Hello');
    harness.advance(366 * 24 * 60);
    const recent = `recent-${randomUUID()}`;
    await say(recent, 'Hello');
    expect(await harness.runtime.privacy.purgeOldTranscripts()).toBeGreaterThanOrEqual(2);
    expect(await harness.query('select 1 from messages where conversation_id = $1', [old])).toEqual([]);
    expect((await harness.query('select 1 from messages where conversation_id = $1', [recent])).length).toBe(2);
  });
});

describe('npm run patient:erase', () => {
  const cli = path.resolve(import.meta.dirname, '../../../src/privacy/erase-cli.ts');

  it('refuses a bad flag with a message naming it and exit code 2', async () => {
    const failure = await run('npx', ['tsx', cli, '--channel', 'fax', '--id', 'x']).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringMatching(/--channel must be one of webchat, cli, whatsapp, teams \(got "fax"\)/) });
  });

  it('says so and exits 1 for an unknown patient (embedded database)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'erase-cli-'));
    try {
      const failure = await run('npx', ['tsx', cli, '--channel', 'webchat', '--id', 'nobody'], {
        env: { ...process.env, DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '' },
      }).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/no patient with webchat id "nobody"/) });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
