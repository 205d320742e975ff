import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { anyDayAt, at, day, demoNlu, runCases, weekday, type Case } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const cases: Case[] = [
  {
    text: 'Quero marcar uma limpeza com a Dra. Ana amanhã às 10',
    intent: 'book',
    language: 'pt',
    entities: { serviceId: 'cleaning', doctorId: 'dr-ana', date: at('2026-11-24T10:00') },
  },
  // "no" is "in the" in Portuguese, not a negation
  { text: 'Quero marcar no sábado uma limpeza', intent: 'book', language: 'pt', entities: { serviceId: 'cleaning', date: weekday('2026-11-28') } },
  { text: 'Quero marcar para dia 28 às 10', intent: 'book', language: 'pt', entities: { date: at('2026-11-28T10:00') } },
  { text: 'boa tarde, quero marcar uma consulta', intent: 'book', language: 'pt' },
  { text: 'preciso de uma obturação com o Dr. Petrov', intent: 'book', language: 'pt', entities: { serviceId: 'filling', doctorId: 'dr-ivan' } },
  { text: 'amanha as 10', intent: 'book', language: 'pt', entities: { date: at('2026-11-24T10:00') } },
  { text: 'sexta-feira às 9h30', intent: 'book', language: 'pt', entities: { date: at('2026-11-27T09:30', { byWeekday: true }) } },
  { text: 'depois de amanhã de manhã', intent: 'book', language: 'pt', entities: { date: day('2026-11-25', 'morning') } },
  { text: 'às 3 da tarde', intent: 'book', language: 'pt', entities: { date: anyDayAt('2026-11-23T15:00') } },
  { text: 'quanto custa uma consulta?', intent: 'ask_service', language: 'pt', entities: { serviceId: 'consultation' } },
  { text: 'limpezas?', intent: 'ask_service', language: 'pt', entities: { serviceId: 'cleaning' } },
  { text: 'o que são facetas?', intent: 'ask_service', language: 'pt', entities: { serviceId: 'veneers' } },
  { text: 'quero remarcar a minha consulta para sexta às 15h', intent: 'reschedule', language: 'pt', entities: { date: at('2026-11-27T15:00', { byWeekday: true }) } },
  { text: 'desmarcar', intent: 'cancel', language: 'pt' },
  { text: 'quando é a minha consulta?', intent: 'my_appointments', language: 'pt' },
  { text: 'a segunda', intent: 'choose_option', language: null, entities: { option: 2 } },
  { text: 'segunda às 10', intent: 'book', language: 'pt', entities: { date: at('2026-11-30T10:00', { byWeekday: true }) } },
  { text: 'opção 1', intent: 'choose_option', language: 'pt', entities: { option: 1 } },
  { text: 'sim', intent: 'confirm', language: 'pt', entities: { yesNo: 'yes' } },
  { text: 'não', intent: 'deny', language: 'pt', entities: { yesNo: 'no' } },
  { text: 'não preciso de obturação', intent: 'deny', language: 'pt', negatedServices: ['filling'] },
  { text: 'estou com dor no peito', intent: 'emergency', language: 'pt', emergencyKind: 'chest_pain' },
  { text: 'o meu filho desmaiou', intent: 'emergency', language: 'pt', emergencyKind: 'unconscious' },
  { text: 'não tenho dor no peito', intent: 'deny', language: 'pt' },
  { text: 'sem falta de ar, só quero branqueamento', intent: 'book', language: 'pt', entities: { serviceId: 'whitening' } },
  { text: 'quero falar com um atendente', intent: 'human', language: 'pt' },
  { text: 'olá', intent: 'greeting', language: 'pt' },
  { text: 'obrigado, tchau', intent: 'thanks_bye', language: 'pt' },
];

describe('offline NLU — Portuguese', () => {
  runCases(() => nlu, cases);
});
