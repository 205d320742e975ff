import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClinic, parseClinic } from '../../../src/config/clinic.js';
import { testClinic } from '../../fixtures/clinic.js';

describe('clinic catalog', () => {
  it('names the path inside the file of a bad value', () => {
    const raw = JSON.parse(JSON.stringify(testClinic())) as { services: { durationMinutes: unknown }[] };
    (raw.services[1] as { durationMinutes: unknown }).durationMinutes = 'half an hour';
    expect(() => parseClinic(raw, 'clinic.json')).toThrow(/services\[1\]\.durationMinutes/);
  });

  it('refuses a doctor offering a service the clinic does not have', () => {
    const raw = JSON.parse(JSON.stringify(testClinic())) as { doctors: { services: string[] }[] };
    raw.doctors[0]?.services.push('massage');
    expect(() => parseClinic(raw, 'clinic.json')).toThrow(/doctors\[0\]\.services\[2\]: unknown service "massage"/);
  });

  it('refuses an unknown time zone and a working interval that ends before it starts', () => {
    const raw = JSON.parse(JSON.stringify(testClinic())) as Record<string, unknown> & { doctors: { workingHours: Record<string, unknown> }[] };
    raw.timeZone = 'Mars/Olympus';
    (raw.doctors[0] as { workingHours: Record<string, unknown> }).workingHours.fri = [['17:00', '09:00']];
    expect(() => parseClinic(raw, 'c')).toThrow(/timeZone: unknown IANA time zone/);
    expect(() => parseClinic(raw, 'c')).toThrow(/doctors\[0\]\.workingHours\.fri\[0\]/);
  });

  it('loads YAML and JSON files and says which file is unreadable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'clinic-'));
    const { stringify } = await import('yaml');
    await writeFile(path.join(dir, 'c.yaml'), stringify(testClinic()));
    await writeFile(path.join(dir, 'broken.json'), '{ "id": ');
    expect((await loadClinic(path.join(dir, 'c.yaml'))).id).toBe('test-clinic');
    await expect(loadClinic(path.join(dir, 'broken.json'))).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(loadClinic(path.join(dir, 'missing.json'))).rejects.toThrow(/Cannot read clinic catalog .*missing\.json/);
  });

  it('reports every mistake of a catalog at once, each with its path, cross-references included', () => {
    const raw = JSON.parse(JSON.stringify(testClinic())) as Record<string, unknown> & {
      services: Record<string, unknown>[];
      doctors: { services: string[]; id: string }[];
    };
    raw.timeZone = 'Mars/Olympus';
    (raw.services[0] as Record<string, unknown>).durationMinutes = 'an hour';
    (raw.services[1] as Record<string, unknown>).price = { amount: -5, currency: 'EUR' };
    raw.doctors[0]?.services.push('massage');
    raw.doctors.push({ ...(raw.doctors[0] as { services: string[]; id: string }), services: ['filling'] });
    let message = '';
    try {
      parseClinic(raw, 'clinic.json');
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n').slice(1).map((line) => line.trim().split(':')[0]);
    expect(lines).toEqual([
      'timeZone',
      'services[0].durationMinutes',
      'services[1].price.amount',
      'doctors[0].services[2]',
      'doctors[1].id',
    ]);
  });

  it('takes ids with underscores and a clinic kind, neutral ("mixed") unless the catalog says otherwise', async () => {
    const family = await loadClinic(path.join(import.meta.dirname, '../../fixtures/family-clinic.json'));
    expect(family.kind).toBe('mixed');
    expect(family.services.map((s) => s.id)).toContain('blood_test');
    expect(family.doctors.map((d) => d.id)).toEqual(['costa', 'lev', 'mendes', 'santos', 'bravo']);
    expect(testClinic().kind).toBe('mixed');
    expect((await loadClinic()).kind).toBe('dental');
    expect(() => parseClinic({ ...testClinic(), kind: 'veterinary' }, 'c')).toThrow(/kind: Invalid option/);
  });

  it('ships a demo clinic that validates', async () => {
    const clinic = await loadClinic();
    expect(clinic.doctors.length).toBeGreaterThanOrEqual(3);
    expect(clinic.services.map((s) => s.id)).toEqual(expect.arrayContaining(['consultation', 'cleaning', 'filling', 'veneers', 'whitening', 'xray']));
  });
});
