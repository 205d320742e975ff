import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { runEmergencyTable, type CalmCase, type EmergencyCase } from './emergency-support.js';
import { demoNlu } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const emergencies: EmergencyCase[] = [
  { text: 'ME DUELE EL PECHO', kind: 'chest_pain' },
  { text: 'me duele mucho el pecho', kind: 'chest_pain' },
  { text: 'dolor de pecho y quiero una cita mañana', kind: 'chest_pain' },
  { text: 'no puedo respirar', kind: 'breathing' },
  { text: 'mi hija se esta ahogando', kind: 'breathing' },
  { text: 'me cuesta respirr', kind: 'breathing' },
  { text: 'no puedo respirar bien y quiero cita mañana', kind: 'breathing' },
  { text: 'mi marido se desmayó', kind: 'unconscious' },
  { text: 'mi madre no responde', kind: 'unconscious' },
  { text: 'que hago si me desmayo despues de la anestesia?', kind: 'unconscious' },
  { text: 'mi padre tiene la boca torcida y no puede hablar bien', kind: 'stroke' },
  { text: 'mi padre tuvo un ictus', kind: 'stroke' },
  { text: 'esta convulsionando', kind: 'seizure' },
  { text: 'reacción alérgica a la anestesia, se me cierra la garganta', kind: 'allergic_reaction' },
  { text: 'reaccion alergica, la lengua hinchada', kind: 'allergic_reaction' },
  { text: 'no para de sangrar desde la extracción', kind: 'bleeding' },
  { text: 'quiero morirme', kind: 'suicidal' },
  { text: 'tengo la cara hinchada y fiebre', kind: 'severe_swelling' },
  { text: 'tengo un absceso y fiebre', kind: 'severe_swelling' },
  { text: 'mi hijo se cayó de la bici y se le salió un diente', kind: 'trauma' },
  { text: 'los calmantes no me hacen nada, no puedo dormir del dolor', kind: 'severe_pain' },
  { text: 'el dolor es insoportable y el ibuprofeno no funciona', kind: 'severe_pain' },
];

const calm: CalmCase[] = [
  { text: 'sin dolor de pecho', intent: 'deny' },
  { text: 'sin dolor de pecho, solo quiero una limpieza', intent: 'book', serviceId: 'cleaning' },
  { text: 'no tengo dolor en el pecho', intent: 'deny' },
  { text: 'no tengo dolor de pecho ni falta de aire', intent: 'deny' },
  { text: 'no tengo dolor en el pecho o dificultad para respirar', intent: 'deny' },
  { text: 'no tengo fiebre ni la cara hinchada', intent: 'deny' },
  { text: 'no estoy sangrando, solo quiero un empaste el viernes', intent: 'book', serviceId: 'filling' },
  { text: 'tuve un infarto hace años, puedo hacerme un implante?', intent: 'unknown' },
  { text: 'tuve un desmayo el año pasado, ¿puedo hacerme un blanqueamiento?', intent: 'ask_service', serviceId: 'whitening' },
  { text: 'reservé por accidente, quiero cancelar', intent: 'cancel' },
  { text: 'me sangran un poco las encías', intent: 'unknown' },
  { text: 'quiero una limpieza mañana', intent: 'book', serviceId: 'cleaning' },
];

describe('emergencies — Spanish', () => {
  runEmergencyTable(() => nlu, 'es', { emergencies, calm });
});
