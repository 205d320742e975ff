import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../core/locale.js';

const localeSchema = z.enum(SUPPORTED_LOCALES);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');
const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lowercase id such as "dr-dan" or "blood_test"');

function perLocale<T extends z.ZodType>(schema: T) {
  return z.object({ en: schema, es: schema, ru: schema, he: schema, pt: schema });
}

export const serviceTextSchema = z.object({
  name: z.string().min(1),
  /** Other ways patients name it; matched by the offline NLU. */
  synonyms: z.array(z.string().min(1)).default([]),
  description: z.string().min(1),
  preparation: z.string().min(1),
});

export const serviceSchema = z.object({
  id,
  durationMinutes: z.number().int().min(5).max(480),
  price: z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) }),
  text: perLocale(serviceTextSchema),
  /** The service booked instead when the patient is a child (a GP visit → the paediatric check-up). */
  forChildren: id.optional(),
});

const interval = z
  .tuple([hhmm, hhmm])
  .refine(([from, to]) => from < to, 'the start must be before the end');

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

export const doctorSchema = z.object({
  id,
  /** Display name per language, e.g. "Dr. Dan Cohen" / "Доктор Дан Коэн". */
  names: perLocale(z.string().min(1)),
  /** Extra names patients use per language (first name, surname, inflections are handled by the NLU). */
  synonyms: perLocale(z.array(z.string().min(1))).optional(),
  services: z.array(id).min(1),
  workingHours: z.partialRecord(weekdaySchema, z.array(interval)),
});

/**
 * Minutes until an unclaimed escalation is followed up (and the wait the patient is told).
 * Fractions are allowed (0.05 = 3 s) so a test clinic can follow up within seconds; patients
 * are always told whole minutes. At most a week.
 */
const waitMinutes = z.number().positive().max(7 * 24 * 60);
export const urgencyWaitsSchema = z.object({
  urgent: waitMinutes,
  high: waitMinutes,
  medium: waitMinutes,
  low: waitMinutes,
});

/** A time of day for the end of a window: HH:MM, or 24:00 for the end of the day. */
const endOfWindow = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM (24-hour), or 24:00 for the end of the day');

/**
 * Appointment reminders. `offsetsMinutes`: when each reminder goes, in minutes before the
 * appointment (fractions allowed, 0.05 = 3 s, for trying it out). `sendWindow`: clinic time in
 * which reminders may go out; outside it they are moved (see src/reminders/schedule.ts).
 */
export const remindersSchema = z.object({
  enabled: z.boolean().default(true),
  offsetsMinutes: z
    .array(z.number().positive().max(30 * 24 * 60))
    .max(5)
    .default([24 * 60])
    .refine((offsets) => new Set(offsets).size === offsets.length, 'each reminder time may appear once'),
  sendWindow: z
    .object({ from: hhmm, to: endOfWindow })
    .refine(({ from, to }) => from < to, 'the window must start before it ends')
    .default({ from: '08:00', to: '21:00' }),
});
export type RemindersSettings = z.infer<typeof remindersSchema>;

/**
 * What kind of care the clinic gives; it picks wording that must not assume a dental clinic, such
 * as who should see an urgent case ("a dentist", "a doctor", or neutral for a mixed clinic).
 */
export const CLINIC_KINDS = ['dental', 'medical', 'mixed'] as const;
export type ClinicKind = (typeof CLINIC_KINDS)[number];

export const clinicSchema = z
  .object({
    id,
    kind: z.enum(CLINIC_KINDS).default('mixed'),
    names: perLocale(z.string().min(1)),
    timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone'),
    defaultLocale: localeSchema,
    emergencyNumber: z.string().min(2),
    phone: z.string().min(2),
    address: perLocale(z.string().min(1)),
    /** Slots are offered on this grid, in minutes. */
    slotStepMinutes: z.number().int().min(5).max(120).default(30),
    /** How far ahead slots are searched. */
    bookingHorizonDays: z.number().int().min(1).max(365).default(30),
    /** Minimum notice for a new booking, in minutes. */
    minNoticeMinutes: z.number().int().min(0).default(60),
    escalation: z.object({ waitMinutes: urgencyWaitsSchema }).default({
      waitMinutes: { urgent: 15, high: 60, medium: 90, low: 240 },
    }),
    reminders: remindersSchema.default({ enabled: true, offsetsMinutes: [24 * 60], sendWindow: { from: '08:00', to: '21:00' } }),
    services: z.array(serviceSchema).min(1),
    doctors: z.array(doctorSchema).min(1),
  })
  // Runs even when other fields are broken, so one pass reports every mistake in the file.
  .superRefine((clinic, ctx) => checkReferences(clinic, ctx), { when: () => true });

/** Cross-references the field schemas cannot see. The value may be malformed here: read it defensively. */
function checkReferences(clinic: unknown, ctx: z.RefinementCtx): void {
  const services = listAt(clinic, 'services');
  const doctors = listAt(clinic, 'doctors');
  const serviceIds = new Set(services.map((s) => idOf(s)).filter((value) => value !== null));
  doctors.forEach((doctor, d) => {
    listAt(doctor, 'services').forEach((serviceId, s) => {
      if (typeof serviceId === 'string' && !serviceIds.has(serviceId)) {
        ctx.addIssue({ code: 'custom', path: ['doctors', d, 'services', s], message: `unknown service "${serviceId}"` });
      }
    });
  });
  services.forEach((service, index) => {
    const instead = typeof service === 'object' && service !== null ? (service as Record<string, unknown>).forChildren : undefined;
    if (typeof instead === 'string' && !serviceIds.has(instead)) {
      ctx.addIssue({ code: 'custom', path: ['services', index, 'forChildren'], message: `unknown service "${instead}"` });
    }
  });
  reportDuplicateIds(services.map(idOf), 'services', ctx);
  reportDuplicateIds(doctors.map(idOf), 'doctors', ctx);
}

function listAt(value: unknown, key: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const list: unknown = (value as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : [];
}

function idOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const found: unknown = (value as Record<string, unknown>).id;
  return typeof found === 'string' ? found : null;
}

function reportDuplicateIds(ids: (string | null)[], path: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  ids.forEach((value, index) => {
    if (value === null) return;
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [path, index, 'id'], message: `duplicate id "${value}"` });
    seen.add(value);
  });
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Clinic = z.infer<typeof clinicSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type Doctor = z.infer<typeof doctorSchema>;
export type ServiceText = z.infer<typeof serviceTextSchema>;
