import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { runEmergencyTable, type CalmCase, type EmergencyCase } from './emergency-support.js';
import { demoNlu } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const emergencies: EmergencyCase[] = [
  { text: 'сильно болит в груди', kind: 'chest_pain' },
  { text: 'у мужа инфаркт', kind: 'chest_pain' },
  { text: 'у меня боль в груди и не хватает воздуха', kind: 'chest_pain' },
  { text: 'не могу дышать', kind: 'breathing' },
  { text: 'ПОМОГИТЕ НЕ МОГУ ДЫШАТЬ', kind: 'breathing' },
  { text: 'задыхаюс', kind: 'breathing' },
  { text: 'ребёнок подавился', kind: 'breathing' },
  { text: 'муж потерял сознание', kind: 'unconscious' },
  { text: 'мама упала в обморок', kind: 'unconscious' },
  { text: 'бабушка не реагирует', kind: 'unconscious' },
  // no commas, and a "не" that does not deny the fainting
  { text: 'не знаю что делать муж потерял сознание', kind: 'unconscious' },
  { text: 'что делать если я потеряю сознание после наркоза?', kind: 'unconscious' },
  { text: 'у отца перекосило лицо и заплетается язык', kind: 'stroke' },
  { text: 'у дочки приступ эпилепсии', kind: 'seizure' },
  { text: 'аллергическая реакция на укол, отекает горло', kind: 'allergic_reaction' },
  { text: 'кровь не останавливается после удаления зуба', kind: 'bleeding' },
  { text: 'сильное кровотечение после удаления, можно записаться?', kind: 'bleeding' },
  { text: 'не хочу жить', kind: 'suicidal' },
  { text: 'опухло лицо и температура 39', kind: 'severe_swelling' },
  { text: 'флюс и температура', kind: 'severe_swelling' },
  { text: 'сын упал и выбил зуб', kind: 'trauma' },
  { text: 'обезболивающие не помогают, не могу спать от боли', kind: 'severe_pain' },
];

const calm: CalmCase[] = [
  { text: 'не задыхаюсь, просто хочу записаться', intent: 'book' },
  { text: 'боли в груди нет', intent: 'deny' },
  { text: 'кровотечения нет', intent: 'deny' },
  { text: 'нет одышки', intent: 'deny' },
  { text: 'нет боли в груди или одышки', intent: 'deny' },
  { text: 'у меня не было аллергической реакции', intent: 'deny' },
  { text: 'нет кровотечения, хочу пломбу в пятницу', intent: 'book', serviceId: 'filling' },
  // «вопрос про», «при чистке»: «про» and «при» were once read as «приём» (a stem collision); these ask.
  { text: 'у меня нет кровотечения, просто вопрос про отбеливание', intent: 'ask_service', serviceId: 'whitening' },
  { text: 'инфаркт был 5 лет назад, можно отбеливание?', intent: 'book', serviceId: 'whitening' },
  { text: 'дёсны немного кровоточат при чистке', intent: 'ask_service', serviceId: 'cleaning' },
  { text: 'хочу записаться на чистку завтра', intent: 'book', serviceId: 'cleaning' },
];

describe('emergencies — Russian', () => {
  runEmergencyTable(() => nlu, 'ru', { emergencies, calm });
});
