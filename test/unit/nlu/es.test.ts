import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { at, day, demoNlu, runCases, type Case } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const cases: Case[] = [
  {
    text: 'Hola, quiero una cita para una limpieza el lunes a las 10',
    intent: 'book',
    language: 'es',
    entities: { serviceId: 'cleaning', date: at('2026-11-30T10:00', { byWeekday: true }) },
  },
  {
    text: 'Quisiera pedir cita con la Dra. Silva mañana a las 5',
    intent: 'book',
    language: 'es',
    entities: { doctorId: 'dr-ana', date: at('2026-11-24T17:00') },
  },
  { text: '¿Me dan una cita para mañana?', intent: 'book', language: 'es', entities: { date: day('2026-11-24') } },
  { text: 'pasado mañana a las diez y media', intent: 'book', language: 'es', entities: { date: at('2026-11-25T10:30') } },
  { text: 'mañana por la mañana', intent: 'book', language: 'es', entities: { date: day('2026-11-24', 'morning') } },
  { text: 'el viernes a las 3 de la tarde', intent: 'book', language: 'es', entities: { date: at('2026-11-27T15:00', { byWeekday: true }) } },
  { text: 'el 1 de diciembre a las 11', intent: 'book', language: 'es', entities: { date: at('2026-12-01T11:00') } },
  { text: 'necesito un empaste con Iván', intent: 'book', language: 'es', entities: { serviceId: 'filling', doctorId: 'dr-ivan' } },
  { text: '¿Cuánto cuesta el blanqueamiento?', intent: 'ask_service', language: 'es', entities: { serviceId: 'whitening' } },
  { text: 'carillas', intent: 'ask_service', language: 'es', entities: { serviceId: 'veneers' } },
  { text: 'empastes', intent: 'ask_service', language: 'es', entities: { serviceId: 'filling' } },
  { text: 'quiero cambiar mi cita', intent: 'reschedule', language: 'es' },
  { text: 'cancelar la cita', intent: 'cancel', language: 'es' },
  { text: '¿cuándo es mi cita?', intent: 'my_appointments', language: 'es' },
  { text: 'la segunda', intent: 'choose_option', language: null, entities: { option: 2 } },
  { text: 'opción 3', intent: 'choose_option', language: 'es', entities: { option: 3 } },
  { text: 'sí', intent: 'confirm', language: 'es', entities: { yesNo: 'yes' } },
  { text: 'vale, perfecto', intent: 'confirm', language: 'es', entities: { yesNo: 'yes' } },
  { text: 'no, gracias', intent: 'deny', language: 'es', entities: { yesNo: 'no' } },
  { text: 'no necesito la limpieza', intent: 'deny', language: 'es', negatedServices: ['cleaning'] },
  // Not X but Y puts the request right: a request for Y.
  { text: 'no quiero carillas, prefiero un blanqueamiento', intent: 'book', language: 'es', entities: { serviceId: 'whitening' }, negatedServices: ['veneers'] },
  { text: 'me duele el pecho', intent: 'emergency', language: 'es', emergencyKind: 'chest_pain' },
  { text: 'no puedo respirar', intent: 'emergency', language: 'es', emergencyKind: 'breathing' },
  { text: 'mi hijo sangra mucho', intent: 'emergency', language: 'es', emergencyKind: 'bleeding' },
  { text: 'no me duele el pecho, solo quiero una limpieza', intent: 'book', language: 'es', entities: { serviceId: 'cleaning' } },
  { text: 'sin dolor en el pecho', intent: 'deny', language: 'es' },
  { text: 'necesito hablar con una persona real', intent: 'human', language: 'es' },
  { text: 'buenos días', intent: 'greeting', language: 'es' },
  { text: 'muchas gracias, adiós', intent: 'thanks_bye', language: 'es' },
];

describe('offline NLU — Spanish', () => {
  runCases(() => nlu, cases);
});
