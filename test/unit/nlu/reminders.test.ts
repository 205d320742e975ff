/**
 * What patients say about reminders, in all five languages: "stop reminders" and "start
 * reminders" (also when both words appear: "don't remind me" is a stop), and the answers a
 * reminder asks for — confirm, change, cancel — by word. "Cancel reminders" is about reminders,
 * not an appointment.
 */
import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { demoNlu, runCases, type Case } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const stopAndStart: Case[] = [
  { text: 'Stop reminders please', intent: 'stop_reminders', language: 'en' },
  { text: "Please don't send me reminders anymore", intent: 'stop_reminders', language: 'en' },
  { text: "don't remind me", intent: 'stop_reminders', language: 'en' },
  { text: 'cancel reminders', intent: 'stop_reminders', language: 'en' },
  { text: 'Turn reminders back on', intent: 'start_reminders', language: 'en' },
  { text: 'start reminders', intent: 'start_reminders', language: 'en' },
  { text: 'No más recordatorios', intent: 'stop_reminders', language: 'es' },
  { text: 'Sin recordatorios, por favor', intent: 'stop_reminders', language: 'es' },
  { text: 'No quiero recibir recordatorios', intent: 'stop_reminders', language: 'es' },
  { text: 'Quiero volver a recibir recordatorios', intent: 'start_reminders', language: 'es' },
  { text: 'Activar recordatorios', intent: 'start_reminders', language: 'es' },
  { text: 'Не присылайте мне напоминания', intent: 'stop_reminders', language: 'ru' },
  { text: 'Отключите напоминания', intent: 'stop_reminders', language: 'ru' },
  { text: 'Больше не напоминайте', intent: 'stop_reminders', language: 'ru' },
  { text: 'Включите напоминания снова', intent: 'start_reminders', language: 'ru' },
  { text: 'בלי תזכורות בבקשה', intent: 'stop_reminders', language: 'he' },
  { text: 'לבטל את התזכורות', intent: 'stop_reminders', language: 'he' },
  { text: 'להפעיל תזכורות', intent: 'start_reminders', language: 'he' },
  { text: 'Não quero lembretes', intent: 'stop_reminders', language: 'pt' },
  { text: 'Desativar os lembretes', intent: 'stop_reminders', language: 'pt' },
  { text: 'Quero voltar a receber lembretes', intent: 'start_reminders', language: 'pt' },
];

const answers: Case[] = [
  { text: 'confirm', intent: 'confirm', language: 'en' },
  { text: 'I want to change it', intent: 'reschedule', language: 'en' },
  { text: 'cancel', intent: 'cancel', language: 'en' },
  { text: 'confirmo', intent: 'confirm', language: null },
  { text: 'quiero cambiarla', intent: 'reschedule', language: 'es' },
  { text: 'подтверждаю', intent: 'confirm', language: 'ru' },
  { text: 'хочу поменять', intent: 'reschedule', language: 'ru' },
  { text: 'מאשר', intent: 'confirm', language: 'he' },
  { text: 'לשנות', intent: 'reschedule', language: 'he' },
  { text: 'quero mudar', intent: 'reschedule', language: 'pt' },
  { text: 'desmarcar', intent: 'cancel', language: 'pt' },
];

describe('stop and start reminders', () => runCases(() => nlu, stopAndStart));
describe('answers to a reminder', () => runCases(() => nlu, answers));
