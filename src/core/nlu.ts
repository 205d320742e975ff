import type { Locale } from './locale.js';

export const INTENTS = [
  'greeting',
  'ask_service',
  'book',
  'reschedule',
  'cancel',
  'my_appointments',
  'confirm',
  'deny',
  'choose_option',
  'human',
  'emergency',
  'thanks_bye',
  'stop_reminders',
  'start_reminders',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

/** A date/time the patient named, resolved in the clinic's time zone. */
export interface DateEntity {
  /** ISO instant of the start of what was named (the day at 00:00 clinic time when no time was given). */
  start: string;
  /** True when a time of day was named ("at 10"), not just a day. */
  hasTime: boolean;
  /** "Friday afternoon": a part of the day named without a clock time. */
  partOfDay?: 'morning' | 'afternoon' | 'evening';
  /** "after 3pm", "before 10": the time is a bound of the wanted times, not the time itself. */
  timeRelation?: 'after' | 'before';
  /**
   * No single day was named ("after 5", "in the afternoon", "at 10", "next week"): `start` is on
   * the first day that fits (the nearest day the time can still be met, next week's Monday), and
   * any later day will do as well.
   */
  anyDay?: boolean;
  /** Clinic-local day ("2026-12-11") or day and time ("2026-12-11T15:00") of `start`. */
  local?: string;
  /** The day was named by its weekday ("friday"): any Friday on offer fits it. */
  byWeekday?: boolean;
}

export interface NluEntities {
  serviceId?: string;
  doctorId?: string;
  date?: DateEntity;
  /** 1-based option number ("2", "the second one", "второй"). */
  option?: number;
  /** "the last one", "la última": the last option of whatever menu was shown. */
  lastOption?: boolean;
  yesNo?: 'yes' | 'no';
}

export interface NluResult {
  intent: Intent;
  /** 0..1; the offline NLU's certainty about the intent. */
  confidence: number;
  entities: NluEntities;
  /** Services/doctors named under a negation: "I don't need Dan", "не нужен Дан с пломбой". */
  negated: { serviceIds: string[]; doctorIds: string[] };
  /** Language the message is written in, or null when it cannot tell (e.g. "2", "ok"). */
  language: Locale | null;
  /** For emergencies: what was recognised (e.g. "chest_pain"), used as the escalation reason. */
  emergencyKind?: string;
  /** The message asks something ("?", or it opens with "how", "когда", "מתי"…). */
  question?: boolean;
  /** No phrase said the intent: it was inferred from what was named ("Dr. Costa on Friday?" → book). */
  inferred?: boolean;
  /**
   * A title alone that several practitioners carry ("con la doctora", "the doctor"): who it may be.
   * In front of a menu it picks the first time with one of them.
   */
  titleHolders?: string[];
  /** The service was not named but implied: by a child as the patient, or by a practitioner who does only one thing. */
  serviceImplied?: boolean;
}
