/**
 * Issue 11, eighth round: the classes the blind holdout18 showed after it was scored, in every
 * language, with sentences of our own and guards that must keep their old reading.
 */
import { describe, expect, it } from 'vitest';
import { check, checkEmergencies, read, useFamilyClinic } from './family-support.js';

useFamilyClinic();

describe('eighth round: seizures and injuries described, not named', () => {
  checkEmergencies([
    ['my brother is on the floor shaking and has foam at the mouth', 'seizure'],
    ['mi padre está temblando entero con espuma por la boca', 'seizure'],
    ['муж на полу трясется весь, пена изо рта', 'seizure'],
    ['הוא רועד ויש לו קצף מהפה', 'seizure'],
    ['me caí de la moto y me di en la cabeza', 'trauma'],
    ['fell off the scooter and my wrist is bent the wrong way', 'trauma'],
    ['caiu da trotinete e bateu com a cabeça', 'trauma'],
    ['сын упал с самоката, рука вывернута', 'trauma'],
    ['הבן שלי נפל מהקורקינט וקיבל מכה בראש', 'trauma'],
  ]);
  check([
    // guards: a visit that cannot be moved, a head knock long ago
    { text: 'no lo puedo mover de día, ¿puedo cambiar la cita al viernes?', intent: 'reschedule', day: '2026-12-11' },
  ]);
});

describe('eighth round: checking, asking, cancelling, reminders', () => {
  check([
    { text: 'just checking if I have an appointment on Friday?', intent: 'my_appointments', day: '2026-12-11' },
    { text: 'у меня есть что-то у вас на следующей неделе?', intent: 'my_appointments' },
    { text: 'пришлите список всех моих записей', intent: 'my_appointments' },
    { text: 'quando é a próxima sessão de fisioterapia?', intent: 'my_appointments', service: 'physio' },
    { text: 'צריך להגיע בצום לבדיקת דם?', intent: 'ask_service', service: 'blood_test' },
    { text: 'precisa de marcação para a vacina da gripe ou posso só aparecer?', intent: 'ask_service', service: 'vaccination' },
    { text: 'ya me hicieron el electro en el hospital, lo podéis quitar', intent: 'cancel', service: 'ecg' },
    { text: 'תפסיקו לשלוח לי תזכורות', intent: 'stop_reminders' },
    { text: 'אפשר להפעיל שוב את התזכורות?', intent: 'start_reminders' },
    { text: 'moltes gràcies, adéu!', intent: 'thanks_bye' },
    { text: 'Hallo!', intent: 'greeting' },
    { text: 'сколько стоит такси до аэропорта?', intent: 'unknown' },
    { text: 'vendem perfumes?', intent: 'unknown' },
  ]);
  it('a confirmation said formally confirms', () => {
    expect(read('That would be most suitable. Please proceed.').intent).toBe('confirm');
  });
});

describe('eighth round: "diabetes tipo 2" names no two o\'clock', () => {
  it('a type is no hour, the hour said later is', () => {
    expect(read('soy diabética tipo 2, quiero análisis de sangre el jueves 17 después de las 9').entities.date).toMatchObject({
      local: '2026-12-17T09:00',
      timeRelation: 'after',
    });
    expect(read('tengo diabetes tipo 2').entities.date).toBeUndefined();
  });
});
