/**
 * The pipeline's staff side on the real Redis + PostgreSQL: claim and hand back run through
 * the conversation's own queue and persist like a turn; while escalated, what is recorded to
 * the transcript is published live for the console, and opening or raising an escalation
 * publishes `escalation.changed`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/app.js';
import type { LiveEvent } from '../../../src/core/ports/live-events.js';
import { requirePostgres, requireRedis, noStaffChange } from '../../support/services.js';
import { eventually, openDeployment, say, type Deployment } from './follow-up-harness.js';

let deployment: Deployment;
let runtime: Runtime;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  // Waits of hours: no follow-up fires during these tests.
  deployment = await openDeployment('redis', { urgent: 60, high: 60, medium: 90, low: 240 });
  runtime = await deployment.start();
});
afterAll(async () => deployment?.cleanup());

function liveEventsOf(conversationId: string): LiveEvent[] {
  const events: LiveEvent[] = [];
  runtime.liveEvents.subscribe((event) => {
    if (event.type === 'escalation.changed' || ('conversationId' in event && event.conversationId === conversationId)) events.push(event);
  });
  return events;
}

async function stateOf(conversationId: string): Promise<{ value: unknown; context: Record<string, unknown> }> {
  const stored = await runtime.hotStore.getConversation(`webchat:${conversationId}`);
  return stored?.snapshot as { value: unknown; context: Record<string, unknown> };
}

describe('while a conversation is escalated', () => {
  it('publishes escalation.changed when it opens, and every recorded line for the console', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    const events = liveEventsOf(conversationId);
    await say(runtime, 'webchat', conversationId, 'Hi, I would like to book a cleaning');
    await say(runtime, 'webchat', conversationId, 'I need to talk to a person');
    const escalation = await runtime.records.escalations.findOpenForConversation('webchat', conversationId);

    await eventually(() => {
      expect(events).toContainEqual({ type: 'escalation.changed', escalationId: escalation?.id });
      expect(events.filter((event) => event.type === 'conversation.message')).toHaveLength(2);
    });
    const lines = events.flatMap((event) => (event.type === 'conversation.message' ? [event.entry] : []));
    expect(lines[0]).toMatchObject({ author: 'patient', text: 'I need to talk to a person', locale: 'en' });
    expect(lines[1]).toMatchObject({ author: 'bot', locale: 'en' });
    expect(lines[1]?.text).toMatch(/passed your conversation to our staff/);

    // The bot is silent now; the patient's words still reach the console live.
    expect(await say(runtime, 'webchat', conversationId, 'hello? is anyone there?')).toEqual([]);
    await eventually(() => expect(events.filter((event) => event.type === 'conversation.message')).toHaveLength(3));
    expect(events.at(-1)).toMatchObject({ type: 'conversation.message', channel: 'webchat', entry: { author: 'patient', text: 'hello? is anyone there?' } });
  });

  it('publishes escalation.changed again when an emergency raises it', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    await say(runtime, 'webchat', conversationId, 'I need to talk to a person');
    const events = liveEventsOf(conversationId);
    await say(runtime, 'webchat', conversationId, 'I have severe chest pain and cannot breathe');
    const escalation = await runtime.records.escalations.findOpenForConversation('webchat', conversationId);
    expect(escalation?.urgency).toBe('urgent');
    await eventually(() => expect(events).toContainEqual({ type: 'escalation.changed', escalationId: escalation?.id }));
  });

  it('publishes nothing for a conversation that is not escalated', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    const events = liveEventsOf(conversationId);
    await say(runtime, 'webchat', conversationId, 'What services do you offer?');
    // A marker published after the turn: once it arrived, anything the turn published would have too.
    await runtime.liveEvents.publish({ type: 'escalation.changed', escalationId: 'marker' });
    await eventually(() => expect(events).toContainEqual({ type: 'escalation.changed', escalationId: 'marker' }));
    expect(events).toEqual([{ type: 'escalation.changed', escalationId: 'marker' }]);
  });
});

describe('claim and hand back (ConversationControl)', () => {
  it('claim puts the conversation with staff; hand back leaves it in idle with an empty task', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    await say(runtime, 'webchat', conversationId, 'I want to book a filling');
    await say(runtime, 'webchat', conversationId, 'I need to talk to a person');
    const pushed = liveEventsOf(conversationId);

    await runtime.conversationControl.staffClaimed({ channel: 'webchat', conversationId }, noStaffChange);
    expect((await stateOf(conversationId)).value).toEqual({ escalated: 'withStaff' });
    expect(await say(runtime, 'webchat', conversationId, '2')).toEqual([]);

    await runtime.conversationControl.staffResolved({ channel: 'webchat', conversationId }, noStaffChange);
    const after = await stateOf(conversationId);
    expect(after.value).toBe('idle');
    expect(after.context).toMatchObject({
      serviceId: null,
      doctorId: null,
      requestedDate: null,
      offeredSlots: [],
      chosenSlot: null,
      appointment: null,
      pendingAction: null,
      escalation: null,
      consecutiveFailures: 0,
      locale: 'en',
    });
    // Neither staff event says anything to the patient.
    expect(pushed.filter((event) => event.type === 'outbound')).toEqual([]);

    // The bot answers again, about the new question only.
    const replies = await say(runtime, 'webchat', conversationId, 'How much is an X-ray?');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.map((reply) => reply.text).join(' ')).not.toMatch(/filling|staff/i);
  });

  it('claim and a patient message at the same moment are serialized: both take effect', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    await say(runtime, 'webchat', conversationId, 'I need to talk to a person');
    const [, replies] = await Promise.all([
      runtime.conversationControl.staffClaimed({ channel: 'webchat', conversationId }, noStaffChange),
      say(runtime, 'webchat', conversationId, 'are you there?'),
    ]);
    expect(replies).toEqual([]);
    expect((await stateOf(conversationId)).value).toEqual({ escalated: 'withStaff' });
    const transcript = await runtime.records.transcripts.listForConversation('webchat', conversationId);
    expect(transcript.map((entry) => entry.text)).toContain('are you there?');
  });

  it('hand back of a conversation that is not escalated changes nothing', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    await say(runtime, 'webchat', conversationId, 'I want to book a filling');
    const before = await runtime.hotStore.getConversation(`webchat:${conversationId}`);
    await runtime.conversationControl.staffResolved({ channel: 'webchat', conversationId }, noStaffChange);
    const after = await runtime.hotStore.getConversation(`webchat:${conversationId}`);
    expect(after?.rev).toBe(before?.rev);
    // Nor does it create state for a conversation nobody has.
    await runtime.conversationControl.staffResolved({ channel: 'webchat', conversationId: `none-${randomUUID()}` }, noStaffChange);
  });

  it('a claim reaches a conversation whose hot state is gone: it starts with staff', async () => {
    const conversationId = `hooks-${randomUUID()}`;
    await runtime.conversationControl.staffClaimed({ channel: 'webchat', conversationId }, noStaffChange);
    expect((await stateOf(conversationId)).value).toEqual({ escalated: 'withStaff' });
    expect(await say(runtime, 'webchat', conversationId, 'hello')).toEqual([]);
  });
});
