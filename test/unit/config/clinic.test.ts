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

  it('ships a demo clinic that validates', async () => {
    const clinic = await loadClinic();
    expect(clinic.doctors.length).toBeGreaterThanOrEqual(3);
    expect(clinic.services.map((s) => s.id)).toEqual(expect.arrayContaining(['consultation', 'cleaning', 'filling', 'veneers', 'whitening', 'xray']));
  });
});
