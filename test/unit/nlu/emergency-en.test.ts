import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { runEmergencyTable, type CalmCase, type EmergencyCase } from './emergency-support.js';
import { demoNlu } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const emergencies: EmergencyCase[] = [
  { text: "I think I'm having a heart attack", kind: 'chest_pain' },
  { text: 'CHEST PAIN!!', kind: 'chest_pain' },
  { text: 'my chest hurts and i wanted to book a cleaning', kind: 'chest_pain' },
  { text: "I can't breathe", kind: 'breathing' },
  { text: 'i cant breath', kind: 'breathing' },
  { text: 'my daughter is choking on something', kind: 'breathing' },
  { text: 'my husband fainted in the waiting room', kind: 'unconscious' },
  { text: 'Dad collapsed and is unresponsive', kind: 'unconscious' },
  // a question about fainting: staff should look rather than the bot guess
  { text: 'what should I do if I faint after anaesthesia?', kind: 'unconscious' },
  { text: 'her face is drooping and her speech is slurred', kind: 'stroke' },
  // history alone would not count, but "now" brings it back
  { text: "I had a stroke years ago and now I can't move my arm", kind: 'stroke' },
  { text: "he's having a seizure", kind: 'seizure' },
  { text: "I think it's anaphylaxsis", kind: 'allergic_reaction' },
  { text: 'my throat is closing after the injection', kind: 'allergic_reaction' },
  { text: "the bleeding won't stop after my extraction", kind: 'bleeding' },
  { text: 'there is so much blood', kind: 'bleeding' },
  { text: 'I want to kill myself', kind: 'suicidal' },
  { text: 'my face is swollen and I have a fever', kind: 'severe_swelling' },
  { text: "swelling is spreading to my eye and I can't swallow", kind: 'severe_swelling' },
  { text: 'my son knocked his tooth out playing football', kind: 'trauma' },
  { text: 'I broke my jaw, can I come today?', kind: 'trauma' },
  { text: "the painkillers don't help, I can't sleep", kind: 'severe_pain' },
  // several kinds: the most serious one wins
  { text: "unbearable pain and I can't breathe", kind: 'breathing' },
  // "no chest pain" is denied, the breathing is not
  { text: "no chest pain but I can't breathe", kind: 'breathing' },
  { text: "I don't know what to do my husband fainted", kind: 'unconscious' },
];

const calm: CalmCase[] = [
  { text: 'no chest pain, just a cleaning', intent: 'ask_service', serviceId: 'cleaning' },
  { text: "I'm not bleeding", intent: 'unknown' },
  { text: 'I do not have any chest pain', intent: 'deny' },
  { text: "I don't have chest pain or shortness of breath, I'd like a filling on Friday", intent: 'book', serviceId: 'filling' },
  { text: "I'm not having a heart attack lol, just want whitening", intent: 'book', serviceId: 'whitening' },
  { text: 'I had a heart attack two years ago, is whitening safe?', intent: 'ask_service', serviceId: 'whitening' },
  { text: 'last time I fainted after the injection, can I get sedation?', intent: 'unknown' },
  { text: 'Sorry, I booked by accident', intent: 'unknown' },
  { text: 'my gums bleed a little when I brush', intent: 'unknown' },
  { text: "I'm allergic to penicillin", intent: 'unknown' },
  { text: 'can I paint my teeth', intent: 'unknown' },
  { text: 'the website is not responding', intent: 'unknown' },
  { text: "Im not suicidal, just anxious about the drill", intent: 'deny' },
];

describe('emergencies — English', () => {
  runEmergencyTable(() => nlu, 'en', { emergencies, calm });
});
