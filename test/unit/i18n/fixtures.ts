import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clinicSchema, type Clinic } from '../../../src/config/catalog-schema.js';

/** A clinic whose names, addresses and services are written in each language's own script. */
export function testClinic(): Clinic {
  return clinicSchema.parse({
    id: 'test-clinic',
    names: {
      en: 'Bright Smile Dental',
      es: 'Clínica Dental Sonrisa',
      ru: 'Стоматология «Улыбка»',
      he: 'מרפאת השיניים חיוך',
      pt: 'Clínica Dentária Sorriso',
    },
    timeZone: 'Europe/Madrid',
    defaultLocale: 'es',
    emergencyNumber: '112',
    phone: '+34 910 000 000',
    address: {
      en: '1 Main Street, Madrid',
      es: 'Calle Mayor 1, Madrid',
      ru: 'Мадрид, улица Майор, 1',
      he: 'רחוב מאיור 1, מדריד',
      pt: 'Rua Maior 1, Madrid',
    },
    services: [
      {
        id: 'cleaning',
        durationMinutes: 30,
        price: { amount: 60, currency: 'EUR' },
        text: {
          en: { name: 'Teeth cleaning', description: 'Scaling and polishing.', preparation: 'Brush your teeth.' },
          es: { name: 'Limpieza dental', description: 'Eliminación del sarro y pulido.', preparation: 'Cepíllese los dientes.' },
          ru: { name: 'Чистка зубов', description: 'Удаление зубного камня и полировка.', preparation: 'Почистите зубы.' },
          he: { name: 'ניקוי שיניים', description: 'הסרת אבנית וליטוש.', preparation: 'יש לצחצח שיניים.' },
          pt: { name: 'Limpeza dentária', description: 'Remoção do tártaro e polimento.', preparation: 'Escove os dentes.' },
        },
      },
      {
        id: 'implant-consult',
        durationMinutes: 90,
        price: { amount: 120.5, currency: 'EUR' },
        text: {
          en: { name: 'Implant consultation', description: 'Examination and X-ray.', preparation: 'Bring your X-rays.' },
          es: { name: 'Consulta de implantes', description: 'Exploración y radiografía.', preparation: 'Traiga sus radiografías.' },
          ru: { name: 'Консультация по имплантам', description: 'Осмотр и снимок.', preparation: 'Возьмите с собой снимки.' },
          he: { name: 'ייעוץ שתלים', description: 'בדיקה וצילום.', preparation: 'יש להביא צילומים קודמים.' },
          pt: { name: 'Consulta de implantes', description: 'Exame e radiografia.', preparation: 'Traga as suas radiografias.' },
        },
      },
    ],
    doctors: [
      {
        id: 'dr-ana',
        names: { en: 'Dr. Ana Ruiz', es: 'Dra. Ana Ruiz', ru: 'Доктор Ана Руис', he: 'ד״ר אנה רואיס', pt: 'Dra. Ana Ruiz' },
        services: ['cleaning', 'implant-consult'],
        workingHours: { mon: [['09:00', '17:00']] },
      },
    ],
  });
}

/** Parameters that exercise every variable of bot.json (the renderer turns ids and instants into text). */
export const SAMPLE_PARAMS: Record<string, string | number> = {
  serviceId: 'cleaning',
  doctorId: 'dr-ana',
  startsAt: '2026-03-03T09:00:00Z',
  fromStartsAt: '2026-03-02T10:30:00Z',
  day: '2026-03-05T00:00:00Z',
  waitMinutes: 90,
};

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `i18n-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

type Json = string | string[] | { [key: string]: Json };

/** A small, complete locale set (bot, webchat, nlu in all five languages) that checks clean. */
export const FIXTURE_LOCALES: Record<string, Record<string, Json>> = {
  en: {
    bot: {
      greeting: 'Hello! This is {{clinic}}.',
      booking: {
        confirm: 'Shall I book {{service}} on {{when}}?',
        slots_one: 'I found {{count}} available time:',
        slots_other: 'Here are {{count}} available times:',
      },
    },
    webchat: { title: 'Clinic assistant', send: 'Send' },
    teams: { edited: 'Please send the corrected message again.' },
    nlu: { intents: { book: ['book', 'appointment'], cancel: ['cancel'] } },
  },
  es: {
    bot: {
      greeting: '¡Hola! Le atiende {{clinic}}.',
      booking: {
        confirm: '¿Le reservo {{service}} el {{when}}?',
        slots_one: 'He encontrado {{count}} horario disponible:',
        slots_many: 'Estos son los {{count}} horarios disponibles:',
        slots_other: 'Estos son los {{count}} horarios disponibles:',
      },
    },
    webchat: { title: 'Asistente de la clínica', send: 'Enviar' },
    teams: { edited: 'Envíe de nuevo el mensaje corregido.' },
    nlu: { intents: { book: ['reservar', 'cita'], cancel: ['cancelar'] } },
  },
  ru: {
    bot: {
      greeting: 'Здравствуйте! Вас приветствует {{clinic}}.',
      booking: {
        confirm: 'Записать Вас на «{{service}}» на {{when}}?',
        slots_one: 'Есть {{count}} свободное окно:',
        slots_few: 'Есть {{count}} свободных окна:',
        slots_many: 'Есть {{count}} свободных окон:',
        slots_other: 'Есть {{count}} свободного окна:',
      },
    },
    webchat: { title: 'Помощник клиники', send: 'Отправить' },
    teams: { edited: 'Отправьте исправленное сообщение ещё раз.' },
    nlu: { intents: { book: ['записаться'], cancel: ['отменить'] } },
  },
  he: {
    bot: {
      greeting: 'שלום! כאן {{clinic}}.',
      booking: {
        confirm: 'לקבוע {{service}} ב{{when}}?',
        slots_one: 'מצאתי מועד פנוי אחד:',
        slots_two: 'מצאתי שני מועדים פנויים:',
        slots_other: 'הנה {{count}} מועדים פנויים:',
      },
    },
    webchat: { title: 'העוזר של המרפאה', send: 'שליחה' },
    teams: { edited: 'אפשר לשלוח שוב את ההודעה המתוקנת.' },
    nlu: { intents: { book: ['לקבוע תור'], cancel: ['לבטל'] } },
  },
  pt: {
    bot: {
      greeting: 'Olá! Fala {{clinic}}.',
      booking: {
        confirm: 'Posso marcar {{service}} para {{when}}?',
        slots_one: 'Encontrei {{count}} horário disponível:',
        slots_many: 'Estes são os {{count}} horários disponíveis:',
        slots_other: 'Estes são os {{count}} horários disponíveis:',
      },
    },
    webchat: { title: 'Assistente da clínica', send: 'Enviar' },
    teams: { edited: 'Envie novamente a mensagem corrigida.' },
    nlu: { intents: { book: ['marcar', 'consulta'], cancel: ['cancelar'] } },
  },
};

/** Writes the fixture locales into `dir`, after letting `edit` change a deep copy of them. */
export async function writeFixtureLocales(
  dir: string,
  edit: (locales: Record<string, Record<string, Json>>) => void = () => undefined,
): Promise<void> {
  const locales = structuredClone(FIXTURE_LOCALES);
  edit(locales);
  for (const [locale, namespaces] of Object.entries(locales)) {
    await mkdir(path.join(dir, locale), { recursive: true });
    for (const [namespace, content] of Object.entries(namespaces)) {
      await writeFile(path.join(dir, locale, `${namespace}.json`), `${JSON.stringify(content, null, 2)}\n`);
    }
  }
}

/** The object at a dotted path of a fixture file, for edits in tests. */
export function node(locales: Record<string, Record<string, Json>>, locale: string, namespace: string, dotted = ''): Record<string, Json> {
  let current: Json | undefined = locales[locale]?.[namespace];
  for (const part of dotted ? dotted.split('.') : []) {
    current = current !== undefined && typeof current === 'object' && !Array.isArray(current) ? current[part] : undefined;
  }
  if (current === undefined || typeof current !== 'object' || Array.isArray(current)) {
    throw new Error(`no object at ${locale}/${namespace}:${dotted}`);
  }
  return current;
}
