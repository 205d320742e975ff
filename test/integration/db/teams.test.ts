/**
 * What the Teams channel keeps (migration 005), on PostgreSQL and on PGlite: references,
 * delivery claims, the alert channel and alert cards; erasure removes a patient's references.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Records } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { erasePatient } from '../../../src/db/privacy.js';
import { createRecords } from '../../../src/db/records.js';
import { uniqueName } from '../../support/services.js';
import { backends, freshIdentity, newPatient, openMigrated } from './backends.js';

describe.each(backends)('teams records on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;

  beforeAll(async () => {
    db = await openMigrated(backend);
    records = createRecords(db);
  });

  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  const reference = (conversationId: string, serviceUrl = 'https://smba.example/emea/') => ({
    conversation: { id: conversationId, conversationType: 'personal' },
    serviceUrl,
    channelId: 'msteams',
  });

  it('keeps one reference per conversation, refreshed by later activities, and greets once', async () => {
    const conversationId = uniqueName('a:conv');
    const user = uniqueName('aad');
    await records.teams.saveConversation({ conversationId, kind: 'personal', userAadId: user, teamId: null, reference: reference(conversationId) });
    await records.teams.saveConversation({ conversationId, kind: 'personal', userAadId: null, teamId: null, reference: reference(conversationId, 'https://smba.example/amer/') });
    const stored = await records.teams.findConversation(conversationId);
    expect(stored).toMatchObject({ kind: 'personal', userAadId: user, greetedAt: null, reference: { serviceUrl: 'https://smba.example/amer/' } });
    expect(await Promise.all([records.teams.markGreeted(conversationId), records.teams.markGreeted(conversationId)])).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect(await records.teams.forgetConversation(conversationId)).toBe(1);
    expect(await records.teams.findConversation(conversationId)).toBeNull();
  });

  it('claims a delivery once, lets a failed one be claimed again from where it stopped, and never a sent one', async () => {
    const id = uniqueName('delivery');
    expect(await records.teams.claimDelivery(id, 'c', 300)).toEqual({ claimed: true, sentCount: 0 });
    expect(await records.teams.claimDelivery(id, 'c', 300)).toEqual({ claimed: false, status: 'sending' });
    await records.teams.recordDeliveryProgress(id, 1);
    await records.teams.finishDelivery(id, 'failed');
    expect(await records.teams.claimDelivery(id, 'c', 300)).toEqual({ claimed: true, sentCount: 1 });
    await records.teams.finishDelivery(id, 'sent');
    expect(await records.teams.claimDelivery(id, 'c', 300)).toEqual({ claimed: false, status: 'sent' });
    // A sender that went silent past its lease is taken over.
    const stale = uniqueName('delivery');
    await records.teams.claimDelivery(stale, 'c', 300);
    await db.query(`update teams_deliveries set updated_at = now() - interval '10 minutes' where delivery_id = $1`, [stale]);
    expect(await records.teams.claimDelivery(stale, 'c', 300)).toEqual({ claimed: true, sentCount: 0 });
    await db.query(`update teams_deliveries set updated_at = now() - interval '8 days' where delivery_id = $1`, [id]);
    expect(await records.teams.purgeDeliveries(new Date(Date.now() - 7 * 86_400_000))).toBeGreaterThanOrEqual(1);
  });

  it('keeps one alert channel and one card per escalation, updated by compare-and-set', async () => {
    await records.teams.setAlertChannel({ reference: reference('19:a@thread.tacv2'), teamId: 'team-1', teamName: 'Staff', channelName: 'Desk', setBy: 'ana@clinic.example' });
    await records.teams.setAlertChannel({ reference: reference('19:b@thread.tacv2'), teamId: 'team-1', teamName: 'Staff', channelName: 'Urgent', setBy: 'ana@clinic.example' });
    expect(await records.teams.findAlertChannel()).toMatchObject({ channelName: 'Urgent', teamId: 'team-1' });

    const patientId = await newPatient(records);
    const escalation = await records.escalations.create({ patientId, channel: 'teams', conversationId: uniqueName('c'), urgency: 'urgent', reason: 'emergency:chest_pain' });
    const channel = reference('19:b@thread.tacv2');
    expect(await Promise.all([1, 2].map(() => records.teams.claimAlertCard(escalation.id, channel, 'open|urgent||', 120)))).toEqual(expect.arrayContaining([true, false]));
    expect(await records.teams.swapAlertCardState(escalation.id, 'open|urgent||', 'x')).toBe(false); // not posted yet
    await records.teams.alertCardPosted(escalation.id, 'activity-1');
    expect(await records.teams.swapAlertCardState(escalation.id, 'open|urgent||', 'claimed|urgent|s1|')).toBe(true);
    expect(await records.teams.swapAlertCardState(escalation.id, 'open|urgent||', 'claimed|urgent|s1|')).toBe(false);
    expect(await records.teams.findAlertCard(escalation.id)).toMatchObject({ activityId: 'activity-1', shownState: 'claimed|urgent|s1|' });

    expect(await records.teams.forgetTeam('team-1')).toBe(0);
    expect(await records.teams.findAlertChannel()).toBeNull();
  });

  it('erasing a Teams patient removes their conversation references and delivery records', async () => {
    const identity = freshIdentity('teams');
    const patient = await records.patients.findOrCreateByIdentity(identity, {});
    const conversationId = uniqueName('a:erase');
    await records.teams.saveConversation({ conversationId, kind: 'personal', userAadId: identity.externalId, teamId: null, reference: reference(conversationId) });
    await records.teams.claimDelivery(`turn:teams:${conversationId}:1`, conversationId, 300);
    const bystander = uniqueName('a:keep');
    await records.teams.saveConversation({ conversationId: bystander, kind: 'personal', userAadId: uniqueName('aad'), teamId: null, reference: reference(bystander) });

    const result = await erasePatient(db, patient.id);
    expect(result?.deleted.teamsConversations).toBe(1);
    expect(await records.teams.findConversation(conversationId)).toBeNull();
    expect(await db.query('select 1 from teams_deliveries where conversation_id = $1', [conversationId])).toEqual([]);
    expect(await records.teams.findConversation(bystander)).not.toBeNull();
  });
});
