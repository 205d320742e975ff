import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { clinicSchema } from '../../../src/config/catalog-schema.js';
import { SUPPORTED_LOCALES } from '../../../src/core/locale.js';

const file = new URL('../../../src/config/demo-clinic.json', import.meta.url);

describe('demo clinic catalog', () => {
  it('parses with clinicSchema', async () => {
    const result = clinicSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('has the agreed services, doctors and settings', async () => {
    const clinic = clinicSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(clinic.id).toBe('demo-dental');
    expect(clinic.timeZone).toBe('Europe/Lisbon');
    expect(clinic.defaultLocale).toBe('en');
    expect(clinic.emergencyNumber).toBe('112');
    expect([clinic.slotStepMinutes, clinic.bookingHorizonDays, clinic.minNoticeMinutes]).toEqual([30, 30, 60]);
    expect(clinic.services.map((s) => [s.id, s.durationMinutes, s.price.amount, s.price.currency])).toEqual([
      ['consultation', 30, 50, 'EUR'],
      ['cleaning', 60, 80, 'EUR'],
      ['filling', 60, 120, 'EUR'],
      ['veneers', 90, 450, 'EUR'],
      ['whitening', 60, 250, 'EUR'],
      ['xray', 30, 40, 'EUR'],
    ]);
    expect(clinic.doctors.map((d) => [d.id, d.services])).toEqual([
      ['dr-dan', ['consultation', 'cleaning', 'filling', 'xray']],
      ['dr-ana', ['consultation', 'cleaning', 'veneers', 'whitening']],
      ['dr-ivan', ['consultation', 'filling', 'veneers', 'xray']],
    ]);
    expect(clinic.doctors[0]?.workingHours.mon).toEqual([['09:00', '13:00'], ['14:00', '18:00']]);
    expect(clinic.doctors[1]?.workingHours.sat).toEqual([['09:00', '13:00']]);
    expect(clinic.doctors[2]?.workingHours.mon).toBeUndefined();
  });

  it('writes every service and doctor in every language, in that language’s script', async () => {
    const clinic = clinicSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    for (const locale of SUPPORTED_LOCALES) {
      for (const service of clinic.services) {
        const text = service.text[locale];
        expect(text.synonyms.length, `${service.id}/${locale}`).toBeGreaterThanOrEqual(3);
        if (locale === 'ru') expect(text.name).toMatch(/\p{Script=Cyrillic}/u);
        if (locale === 'he') expect(text.name).toMatch(/\p{Script=Hebrew}/u);
      }
      for (const doctor of clinic.doctors) expect(doctor.synonyms?.[locale]?.length, `${doctor.id}/${locale}`).toBeGreaterThan(0);
    }
  });
});
