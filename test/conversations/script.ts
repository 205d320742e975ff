import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../../src/core/locale.js';

const locale = z.enum(SUPPORTED_LOCALES);

const replyExpectation = z.object({
  /** Every reply of the turn must be in this language. */
  language: locale.optional(),
  /** Each string must appear (case-insensitive) in the turn's replies, options included. */
  contains: z.array(z.string()).default([]),
  /** None of these may appear. */
  notContains: z.array(z.string()).default([]),
  /** Number of options offered in the turn's replies. */
  options: z.number().int().min(0).optional(),
  /** Number of replies; 0 means the bot stayed silent. */
  replies: z.number().int().min(0).optional(),
  /** Statechart state after the turn, e.g. booking.choosingSlot. */
  state: z.string().optional(),
});

const appointmentSeed = z.object({
  doctorId: z.string(),
  serviceId: z.string(),
  startsAt: z.string(),
  /** Minutes; defaults to the service's duration. */
  minutes: z.number().int().positive().optional(),
});

const appointmentRow = z.object({
  serviceId: z.string().optional(),
  doctorId: z.string().optional(),
  status: z.enum(['booked', 'cancelled']),
  startsAt: z.string().optional(),
});

/** The clinic catalogs a script can run against: the demo clinic, or the family clinic of test/fixtures/. */
export const SCRIPT_CLINICS = ['demo', 'family'] as const;

export const scriptSchema = z.object({
  name: z.string(),
  /** `family`: the Atlântico Family Clinic (test/fixtures/family-clinic.json) instead of the demo clinic. */
  clinic: z.enum(SCRIPT_CLINICS).default('demo'),
  /** The patient's language; every reply is checked against it unless a turn says otherwise. */
  language: locale,
  /** The clock during the script (the clinic is in Europe/Lisbon). */
  now: z.string().default('2026-11-23T09:00:00Z'),
  localeHint: z.string().optional(),
  setup: z
    .object({
      /** Appointments of this patient before the script starts. */
      appointments: z.array(appointmentSeed).default([]),
      /** Appointments of other patients, to make times busy. */
      otherBookings: z.array(appointmentSeed).default([]),
    })
    .default({ appointments: [], otherBookings: [] }),
  turns: z
    .array(
      z.object({
        say: z.string(),
        /** Move the clock forward before this message, in minutes. */
        afterMinutes: z.number().int().min(0).optional(),
        expect: replyExpectation.default({ contains: [], notContains: [] }),
      }),
    )
    .min(1),
  final: z.object({
    state: z.string(),
    /** Exactly these appointments of the patient, in start order. */
    appointments: z.array(appointmentRow).optional(),
    escalations: z.array(z.object({ urgency: z.enum(['urgent', 'high', 'medium', 'low']), reasonStartsWith: z.string().optional() })).optional(),
    /** The patient's saved language preference. */
    preferredLocale: locale.optional(),
    /** Transcript rows written (patient messages + bot replies). */
    transcriptRows: z.number().int().min(0).optional(),
    /** Context fields that must be null/empty at the end, e.g. pendingAction. */
    cleared: z.array(z.string()).default([]),
  }),
});

export type ConversationScript = z.infer<typeof scriptSchema>;
