import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { runEmergencyTable, type CalmCase, type EmergencyCase } from './emergency-support.js';
import { demoNlu } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const emergencies: EmergencyCase[] = [
  { text: 'כאבים בחזה', kind: 'chest_pain' },
  { text: 'כואב לי מאוד בחזה', kind: 'chest_pain' },
  // a negated "can" that is the emergency itself
  { text: 'אני לא יכול לנשום', kind: 'breathing' },
  { text: 'אני לא יכולה לנשום וגם רוצה לקבוע תור', kind: 'breathing' },
  { text: 'לא מצליח לנשום ורוצה תור למחר', kind: 'breathing' },
  { text: 'נחנקתי', kind: 'breathing' },
  { text: 'בעלי התעלף', kind: 'unconscious' },
  { text: 'בעלי איבד את ההכרה', kind: 'unconscious' },
  { text: 'אמא שלי לא מגיבה', kind: 'unconscious' },
  { text: 'מה לעשות אם אתעלף אחרי ההרדמה?', kind: 'unconscious' },
  { text: 'לאבא שלי הפה עקום והוא מדבר לא ברור', kind: 'stroke' },
  { text: 'היה לו שבץ', kind: 'stroke' },
  { text: 'הילד מפרכס', kind: 'seizure' },
  { text: 'יש לה פרכוסים', kind: 'seizure' },
  { text: 'תגובה אלרגית אחרי הזריקה, הגרון נסגר', kind: 'allergic_reaction' },
  { text: 'הדם לא מפסיק אחרי העקירה', kind: 'bleeding' },
  { text: 'אני רוצה למות', kind: 'suicidal' },
  { text: 'הפנים התנפחו ויש לי חום', kind: 'severe_swelling' },
  { text: 'הבן שלי נפל ועפה לו שן', kind: 'trauma' },
  { text: 'הלסת שבורה אחרי תאונה', kind: 'trauma' },
  { text: 'משככי כאבים לא עוזרים, אני לא מצליח לישון מרוב כאב', kind: 'severe_pain' },
];

const calm: CalmCase[] = [
  { text: 'אין לי כאב בחזה', intent: 'deny' },
  { text: 'אין לי כאב בחזה, רק רוצה ניקוי', intent: 'book', serviceId: 'cleaning' },
  { text: 'אין לי כאב בחזה או קוצר נשימה', intent: 'deny' },
  { text: 'אין לי קוצר נשימה', intent: 'deny' },
  { text: 'לא קשה לי לנשום', intent: 'deny' },
  { text: 'אני לא מדמם', intent: 'deny' },
  { text: 'אין דימום חזק', intent: 'deny' },
  { text: 'אין לי נפיחות בפנים', intent: 'deny' },
  { text: 'לא התעלפתי, רק רוצה לקבוע ניקוי', intent: 'book', serviceId: 'cleaning' },
  { text: 'הייתה לי תגובה אלרגית בעבר, אפשר הלבנה?', intent: 'book', serviceId: 'whitening' },
  { text: 'יש לי קצת דימום מהחניכיים כשאני מצחצח', intent: 'unknown' },
  { text: 'רוצה לקבוע ניקוי מחר', intent: 'book', serviceId: 'cleaning' },
];

describe('emergencies — Hebrew', () => {
  runEmergencyTable(() => nlu, 'he', { emergencies, calm });
});
