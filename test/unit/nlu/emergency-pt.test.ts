import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { runEmergencyTable, type CalmCase, type EmergencyCase } from './emergency-support.js';
import { demoNlu } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const emergencies: EmergencyCase[] = [
  { text: 'DOR NO PEITO', kind: 'chest_pain' },
  { text: 'dói-me muito o peito', kind: 'chest_pain' },
  { text: 'estou com dor no peito e falta de ar', kind: 'chest_pain' },
  { text: 'não consigo respirar', kind: 'breathing' },
  { text: 'nao consigo respirar', kind: 'breathing' },
  { text: 'ela está a engasgar-se', kind: 'breathing' },
  { text: 'o meu marido desmaiou', kind: 'unconscious' },
  { text: 'a minha avó não responde', kind: 'unconscious' },
  { text: 'o meu pai esta inconsciente', kind: 'unconscious' },
  { text: 'o que faço se desmaiar depois da anestesia?', kind: 'unconscious' },
  { text: 'a minha mãe tem a boca ao lado e fala arrastada', kind: 'stroke' },
  { text: 'teve um avc', kind: 'stroke' },
  { text: 'ele está a ter uma convulsão', kind: 'seizure' },
  { text: 'reação alérgica depois da injeção, a garganta a fechar', kind: 'allergic_reaction' },
  { text: 'não para de sangrar desde a extração', kind: 'bleeding' },
  { text: 'tenho uma hemorragia depois da extração e queria marcar consulta', kind: 'bleeding' },
  { text: 'quero morrer', kind: 'suicidal' },
  { text: 'tenho a cara inchada e febre', kind: 'severe_swelling' },
  { text: 'a cara esta inchada e tenho febre', kind: 'severe_swelling' },
  { text: 'o meu filho caiu e saltou-lhe um dente', kind: 'trauma' },
  { text: 'os analgésicos não fazem efeito, não consigo dormir com as dores', kind: 'severe_pain' },
];

const calm: CalmCase[] = [
  { text: 'não estou a sangrar', intent: 'deny' },
  { text: 'não estou a desmaiar', intent: 'deny' },
  { text: 'não tenho dor no peito', intent: 'deny' },
  { text: 'sem falta de ar', intent: 'deny' },
  { text: 'não tenho dor no peito nem falta de ar', intent: 'deny' },
  { text: 'não tenho febre nem inchaço', intent: 'deny' },
  { text: 'sem dor no peito, só quero uma limpeza', intent: 'book', serviceId: 'cleaning' },
  { text: 'não tenho dor no peito, quero marcar um branqueamento', intent: 'book', serviceId: 'whitening' },
  { text: 'tive um avc há anos, posso fazer um branqueamento?', intent: 'ask_service', serviceId: 'whitening' },
  { text: 'marquei por acidente, quero cancelar', intent: 'cancel' },
  { text: 'as gengivas sangram um pouco quando escovo', intent: 'unknown' },
  { text: 'quero marcar uma limpeza amanhã', intent: 'book', serviceId: 'cleaning' },
];

describe('emergencies — Portuguese', () => {
  runEmergencyTable(() => nlu, 'pt', { emergencies, calm });
});
