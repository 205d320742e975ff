import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { at, day, demoNlu, runCases, weekday, type Case } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const cases: Case[] = [
  // booking
  { text: 'Hi, I want to book a cleaning', intent: 'book', language: 'en', entities: { serviceId: 'cleaning' } },
  {
    text: 'Can I book a cleaning with Dr Ana on Friday at 3?',
    intent: 'book',
    language: 'en',
    entities: { serviceId: 'cleaning', doctorId: 'dr-ana', date: at('2026-11-27T15:00', { byWeekday: true }) },
  },
  {
    text: 'I need a checkup with Ivan at 8am tomorrow',
    intent: 'book',
    language: 'en',
    entities: { serviceId: 'consultation', doctorId: 'dr-ivan', date: at('2026-11-24T08:00') },
  },
  { text: 'Is Dr. Cohen available the day after tomorrow?', intent: 'book', language: 'en', entities: { doctorId: 'dr-dan', date: day('2026-11-25') } },
  { text: 'tomorrow at 10', intent: 'book', language: 'en', entities: { date: at('2026-11-24T10:00') } },
  { text: 'on monday', intent: 'book', language: 'en', entities: { date: weekday('2026-11-30') } },
  { text: 'December 3rd at 11', intent: 'book', language: 'en', entities: { date: at('2026-12-03T11:00') } },
  { text: '28/11 at 9:30', intent: 'book', language: 'en', entities: { date: at('2026-11-28T09:30') } },
  { text: 'in 3 days', intent: 'book', language: 'en', entities: { date: day('2026-11-26') } },
  // services: bare names, questions, typos, plurals
  { text: 'veneers?', intent: 'ask_service', language: 'en', entities: { serviceId: 'veneers' } },
  { text: 'How much does whitening cost?', intent: 'ask_service', language: 'en', entities: { serviceId: 'whitening' } },
  { text: 'how long does a filling take', intent: 'ask_service', language: 'en', entities: { serviceId: 'filling' } },
  { text: 'Do I need to prepare for an x-ray?', intent: 'ask_service', language: 'en', entities: { serviceId: 'xray' } },
  { text: 'fillng', intent: 'ask_service', language: null, entities: { serviceId: 'filling' } },
  { text: 'I think I have two cavities', intent: 'ask_service', language: 'en', entities: { serviceId: 'filling' } },
  // appointments
  { text: "I'd like to reschedule my appointment to Monday", intent: 'reschedule', language: 'en', entities: { date: weekday('2026-11-30') } },
  { text: 'cancel my appointment please', intent: 'cancel', language: 'en' },
  { text: 'when is my appointment?', intent: 'my_appointments', language: 'en' },
  // options, yes/no
  { text: '2', intent: 'choose_option', language: null, entities: { option: 2 } },
  { text: 'the second one', intent: 'choose_option', language: 'en', entities: { option: 2 } },
  { text: '#3', intent: 'choose_option', language: null, entities: { option: 3 } },
  { text: 'option 1 please', intent: 'choose_option', language: 'en', entities: { option: 1 } },
  { text: 'the 2nd', intent: 'choose_option', language: 'en', entities: { option: 2 } },
  { text: 'yes', intent: 'confirm', language: 'en', entities: { yesNo: 'yes' } },
  { text: 'ok, book it', intent: 'confirm', language: 'en', entities: { yesNo: 'yes' } },
  { text: 'no', intent: 'deny', language: null, entities: { yesNo: 'no' } },
  { text: 'No, I want the filling', intent: 'book', language: 'en', entities: { serviceId: 'filling', yesNo: 'no' } },
  // negation
  { text: "I don't need Dan", intent: 'deny', language: 'en', negatedDoctors: ['dr-dan'] },
  { text: "I don't need a filling, I need a cleaning", intent: 'book', language: 'en', entities: { serviceId: 'cleaning' }, negatedServices: ['filling'] },
  { text: "I don't want to cancel", intent: 'deny', language: 'en' },
  // emergencies, true and false
  { text: 'I have chest pain', intent: 'emergency', language: 'en', emergencyKind: 'chest_pain' },
  { text: "I can't breathe", intent: 'emergency', language: 'en', emergencyKind: 'breathing' },
  { text: 'He is not breathing!', intent: 'emergency', language: 'en', emergencyKind: 'breathing' },
  { text: 'My son knocked out his tooth', intent: 'emergency', language: 'en', emergencyKind: 'trauma' },
  { text: 'my face is swelling and I cannot swallow', intent: 'emergency', language: 'en', emergencyKind: 'severe_swelling' },
  { text: 'no chest pain, just a cleaning', intent: 'ask_service', language: 'en', entities: { serviceId: 'cleaning' } },
  { text: "I'm allergic to penicillin", intent: 'unknown', language: 'en' },
  { text: 'the bleeding has stopped, no heavy bleeding', intent: 'deny', language: 'en' },
  { text: 'no chest pain', intent: 'deny', language: 'en' },
  // human, greeting, thanks
  { text: 'I want to talk to a human', intent: 'human', language: 'en' },
  { text: 'Hello', intent: 'greeting', language: 'en' },
  { text: 'Thanks, bye!', intent: 'thanks_bye', language: 'en' },
  { text: 'asdf qwerty', intent: 'unknown', language: null },
];

describe('offline NLU — English', () => {
  runCases(() => nlu, cases);
});
