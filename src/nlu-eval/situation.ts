/**
 * The conversation an item's `context` stands for, as the state and context the chart would be
 * in: after a service answer (`inquiry.answering` about that service), while choosing from a menu
 * (`booking.choosingSlot` with the offered slots) or while confirming (`booking.confirming`).
 * A menu comes from the writer's YAML comment when there is one ("1. Tue 8 Dec 10:30 with
 * Dr. Marta Costa"), otherwise a plain menu of `options_shown` times is made up.
 */
import { DateTime } from 'luxon';
import { initialContext, type ConversationContext, type Slot } from '../../statecharts/conversation.js';
import { slotId } from '../booking/availability.js';
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import type { Nlu } from '../nlu/index.js';
import type { LabelledItem } from './labels.js';

export interface Situation {
  readonly state: string;
  readonly context: ConversationContext;
  /** The conversation's language (null for a first message, as in the pipeline). */
  readonly locale: Locale | null;
}

export interface SituationDeps {
  readonly clinic: Clinic;
  readonly nlu: Nlu;
  readonly now: Date;
}

const DEFAULT_OPTIONS = 4;
/** "2. Tue 8 Dec 11:00 …" or "2) …": an option number at the start or after a space, a dot or bracket, a space. */
const OPTION_NUMBER = /(?:^|\s)([1-9])[.)]\s+/g;
const CLOCK = /\b([01]?\d|2[0-3]):([0-5]\d)\b/;
const DAY = /(?<![\d:])(\d{1,2})(?:[./](\d{1,2}))?(?![\d:])/;

export function situationOf(item: LabelledItem, locale: Locale, deps: SituationDeps): Situation {
  const { context } = item.label;
  if (context === undefined) return { state: 'idle', context: initialContext(), locale: null };
  if (context.startsWith('after_service_info:')) {
    const serviceId = context.slice('after_service_info:'.length);
    return { state: 'inquiry.answering', context: { ...initialContext(), serviceId }, locale };
  }
  const menu = (item.comment ? menuFromComment(item.comment, deps) : null) ?? plainMenu(item.label.options_shown ?? DEFAULT_OPTIONS, deps);
  const first = menu[0] ?? null;
  const task = { ...initialContext(), locale, serviceId: first?.serviceId ?? null, offeredSlots: menu };
  if (context === 'confirming') {
    return { state: 'booking.confirming', context: { ...task, doctorId: first?.doctorId ?? null, chosenSlot: first }, locale };
  }
  return { state: 'booking.choosingSlot', context: task, locale };
}

/**
 * The numbered options of a menu comment, read with the NLU for the practitioner. Writers put one
 * option per line or several on one line ("# menu: 1. Tue 8 Dec 10:30 Dr. Costa  2. Tue 8 Dec 11:00 …").
 */
function menuFromComment(comment: string, deps: SituationDeps): Slot[] | null {
  const options = optionsOf(comment.replace(/^\s*menu:\s*/i, ''));
  if (options.length === 0) return null;
  const read = options.map((option) => ({
    text: option.text,
    doctorId: deps.nlu.understand(option.text, { locale: null, now: deps.now }).entities.doctorId ?? null,
  }));
  const serviceId = serviceForAll(deps.clinic, read.map((option) => option.doctorId));
  const slots: Slot[] = [];
  for (const option of read) {
    const start = startOf(option.text, deps);
    const doctorId = option.doctorId ?? deps.clinic.doctors[0]?.id ?? '';
    if (start === null) return null;
    slots.push(slotAt(deps.clinic, doctorId, serviceId, start));
  }
  return slots;
}

/** Each option number with the text up to the next option (comment markers and spaces trimmed). */
function optionsOf(comment: string): { number: number; text: string }[] {
  const text = comment.replace(/\n\s*#?/g, ' ');
  const starts = [...text.matchAll(OPTION_NUMBER)];
  return starts.map((match, i) => ({
    number: Number(match[1]),
    text: text.slice(match.index + match[0].length, starts[i + 1]?.index ?? text.length).trim(),
  }));
}

/** "Tue 8 Dec 10:30", "8.12 10:30": the day of the month (this month or the next) and the clock time. */
function startOf(text: string, deps: SituationDeps): DateTime | null {
  const clock = CLOCK.exec(text);
  if (!clock) return null;
  const withoutClock = text.replace(clock[0], ' ');
  const day = DAY.exec(withoutClock);
  const today = DateTime.fromJSDate(deps.now, { zone: deps.clinic.timeZone }).startOf('day');
  let date = today;
  if (day) {
    const dayOfMonth = Number(day[1]);
    const month = day[2] ? Number(day[2]) : null;
    date = today.set({ day: dayOfMonth, ...(month ? { month } : {}) });
    if (date < today) date = date.plus({ months: month ? 12 : 1 });
  }
  return date.set({ hour: Number(clock[1]), minute: Number(clock[2]) });
}

function plainMenu(count: number, deps: SituationDeps): Slot[] {
  const service = deps.clinic.services[0];
  if (!service) return [];
  const able = deps.clinic.doctors.filter((d) => d.services.includes(service.id));
  const first = DateTime.fromJSDate(deps.now, { zone: deps.clinic.timeZone }).startOf('day').plus({ days: 1 }).set({ hour: 10, minute: 30 });
  return Array.from({ length: count }, (_unused, i) =>
    slotAt(deps.clinic, able[i % Math.max(able.length, 1)]?.id ?? '', service.id, first.plus({ minutes: 30 * i })),
  );
}

/** The first service every practitioner of the menu offers. */
function serviceForAll(clinic: Clinic, doctorIds: (string | null)[]): string {
  const named = clinic.doctors.filter((d) => doctorIds.includes(d.id));
  const common = clinic.services.find((s) => named.every((d) => d.services.includes(s.id)));
  return common?.id ?? clinic.services[0]?.id ?? '';
}

function slotAt(clinic: Clinic, doctorId: string, serviceId: string, start: DateTime): Slot {
  const minutes = clinic.services.find((s) => s.id === serviceId)?.durationMinutes ?? 30;
  const startsAt = start.toUTC().toISO() ?? '';
  const endsAt = start.plus({ minutes }).toUTC().toISO() ?? '';
  return { id: slotId(doctorId, startsAt), doctorId, serviceId, startsAt, endsAt, local: start.toFormat("yyyy-MM-dd'T'HH:mm") };
}
