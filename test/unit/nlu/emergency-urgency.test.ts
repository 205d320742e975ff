import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/core/messages.js';
import { EMERGENCY_KINDS } from '../../../src/nlu/index.js';
import { emergencyUrgency, isMoreUrgent, urgencyOf } from '../../../statecharts/urgency.js';
import { scriptedMachine, startConversation } from '../statechart/harness.js';

const LIFE_THREATENING = ['chest_pain', 'breathing', 'unconscious', 'stroke', 'seizure', 'allergic_reaction', 'bleeding', 'suicidal'];
const SERIOUS = ['severe_swelling', 'trauma', 'severe_pain'];

describe('urgency from the reason', () => {
  it('covers every emergency kind the NLU knows, in one of the two lists', () => {
    expect([...EMERGENCY_KINDS].sort()).toEqual([...LIFE_THREATENING, ...SERIOUS].sort());
  });

  it.each(LIFE_THREATENING)('%s is urgent', (kind) => {
    expect(urgencyOf({ type: 'emergency', kind })).toBe('urgent');
  });

  it.each(SERIOUS)('%s is high', (kind) => {
    expect(urgencyOf({ type: 'emergency', kind })).toBe('high');
  });

  it('treats a kind it does not know as life-threatening', () => {
    expect(emergencyUrgency('unspecified')).toBe('urgent');
    expect(emergencyUrgency('something_an_agent_made_up')).toBe('urgent');
  });

  it('a request for a person is medium, repeated bot failure low, a staff takeover medium', () => {
    expect(urgencyOf({ type: 'patient_request' })).toBe('medium');
    expect(urgencyOf({ type: 'bot_failed' })).toBe('low');
    expect(urgencyOf({ type: 'staff_takeover' })).toBe('medium');
  });

  it('orders urgencies', () => {
    expect(isMoreUrgent('urgent', 'high')).toBe(true);
    expect(isMoreUrgent('high', 'medium')).toBe(true);
    expect(isMoreUrgent('medium', 'low')).toBe(true);
    expect(isMoreUrgent('low', null)).toBe(true);
    expect(isMoreUrgent('high', 'high')).toBe(false);
    expect(isMoreUrgent('high', 'urgent')).toBe(false);
  });
});

const keys = (replies: readonly OutboundMessage[]): string[] => replies.map((r) => r.key);

describe('the chart escalates at the urgency of the emergency', () => {
  it('a serious emergency: urgent-care advice, a high escalation and the ordinary acknowledgement', async () => {
    const { machine, script, inputs } = scriptedMachine();
    script.escalate = { waitMinutes: 60 };
    const { actor, send } = startConversation(machine);
    const replies = await send({ type: 'EMERGENCY', kind: 'trauma' });
    expect(replies).toEqual([{ key: 'escalation.urgent_care' }, { key: 'escalation.ack', params: { waitMinutes: 60 } }]);
    expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'high', reason: 'emergency:trauma' });
    expect(inputs.at(-1)).toEqual({ src: 'escalate', input: { urgency: 'high', reason: 'emergency:trauma' } });
  });

  it('a life-threatening emergency: the emergency number first, then the urgent acknowledgement', async () => {
    const { machine, inputs } = scriptedMachine();
    const { send } = startConversation(machine);
    expect(keys(await send({ type: 'EMERGENCY', kind: 'seizure' }))).toEqual(['escalation.emergency', 'escalation.ack_urgent']);
    expect(inputs.at(-1)).toEqual({ src: 'escalate', input: { urgency: 'urgent', reason: 'emergency:seizure' } });
  });

  it('a life-threatening emergency inside a high escalation raises it to urgent', async () => {
    const { machine, inputs } = scriptedMachine();
    const { actor, send } = startConversation(machine);
    await send({ type: 'EMERGENCY', kind: 'severe_swelling' });
    expect(keys(await send({ type: 'EMERGENCY', kind: 'breathing' }))).toEqual(['escalation.emergency', 'escalation.ack_urgent']);
    expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'urgent', reason: 'emergency:breathing' });
    expect(inputs.filter((i) => i.src === 'escalate')).toHaveLength(2);
  });

  it('a serious emergency inside a request for a person raises it to high', async () => {
    const { machine, inputs } = scriptedMachine();
    const { actor, send } = startConversation(machine);
    await send({ type: 'HUMAN' });
    expect(keys(await send({ type: 'EMERGENCY', kind: 'severe_pain' }))).toEqual(['escalation.urgent_care', 'escalation.ack']);
    expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'high', reason: 'emergency:severe_pain' });
    expect(inputs.at(-1)).toEqual({ src: 'escalate', input: { urgency: 'high', reason: 'emergency:severe_pain' } });
  });

  it('a serious emergency inside an urgent escalation gives the advice and lowers nothing', async () => {
    const { machine, inputs } = scriptedMachine();
    const { actor, send } = startConversation(machine);
    await send({ type: 'EMERGENCY', kind: 'chest_pain' });
    expect(keys(await send({ type: 'EMERGENCY', kind: 'trauma' }))).toEqual(['escalation.urgent_care']);
    expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'urgent', reason: 'emergency:chest_pain' });
    expect(inputs.filter((i) => i.src === 'escalate')).toHaveLength(1);
  });
});
