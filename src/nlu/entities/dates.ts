/**
 * Dates and times, resolved in the clinic's time zone.
 *
 * Our own lexicon (`dates` in nlu.json) handles what chrono lacks or gets wrong: Hebrew entirely,
 * relative days ("pasado mañana" — chrono reads "mañana"), weekdays (always the next such day,
 * never today), day parts ("por la mañana" — chrono reads "tomorrow"), hours after a preposition
 * or with an hour word ("às 10h", "на 10", "к 9", "ב-10", "בעשר וחצי", "a las diez"), day of the
 * month ("dia 28", "28 числа") and dd/mm dates. chrono (en/es/pt/ru) then reads the rest of the
 * text: calendar dates with month names ("Nov 28", "1 декабря"), "in 3 days", "next week".
 * Hours 1–7 without am/pm or a day part are afternoon hours (clinic hours).
 */
import { DateTime } from 'luxon';
import type { DateEntity } from '../../core/nlu.js';
import type { DayPart, DayWord, NluModel, TimeWord } from '../model.js';
import type { Token } from '../normalize.js';
import type { MatchInput, PhraseMatch } from '../phrase-index.js';
import { parseWithChrono, type CalendarDay, type ChronoFinding, type ChronoLocale } from './chrono.js';

export interface DateRequest {
  readonly text: string;
  readonly input: MatchInput;
  readonly model: NluModel;
  readonly langs: number;
  readonly isTaken: (index: number) => boolean;
  readonly now: Date;
  readonly zone: string;
  readonly chronoLocale: ChronoLocale | null;
}

export interface DateExtraction {
  readonly date: DateEntity | null;
  /** Tokens that belong to the date/time, so option and entity extractors skip them. */
  readonly taken: ReadonlySet<number>;
}

interface OwnTime {
  readonly hour: number;
  readonly minute: number;
  readonly meridiem: 'am' | 'pm' | null;
}

type NumericToken = { kind: 'date'; day: CalendarDay | { month: number; day: number } } | { kind: 'clock'; hour: number; minute: number };

const LAST_HOUR = 23;
const AFTERNOON_GUESS_MAX = 7;
const NOON = 12;

function parseClock(raw: string): { hour: number; minute: number } | null {
  const [h, m] = raw.split(':').map(Number);
  if (h === undefined || m === undefined || h > LAST_HOUR || m > 59) return null;
  return { hour: h, minute: m };
}

function parseNumeric(raw: string): NumericToken | null {
  const parts = raw.split(/[./]/).map(Number);
  const [a, b, c] = parts;
  if (a === undefined || b === undefined) return null;
  if (a >= 1 && a <= 31 && b >= 1 && b <= 12) {
    if (c === undefined) return { kind: 'date', day: { month: b, day: a } };
    const year = c < 100 ? 2000 + c : c;
    return { kind: 'date', day: { year, month: b, day: a } };
  }
  if (raw.includes('.') && c === undefined && a <= LAST_HOUR && b <= 59) return { kind: 'clock', hour: a, minute: b };
  return null;
}

function startsMap<P>(matches: readonly PhraseMatch<P>[], payload: P): Map<number, PhraseMatch<P>> {
  const map = new Map<number, PhraseMatch<P>>();
  for (const match of matches) if (match.payload === payload && !map.has(match.start)) map.set(match.start, match);
  return map;
}

function endsMap<P>(matches: readonly PhraseMatch<P>[], payload: P): Map<number, PhraseMatch<P>> {
  const map = new Map<number, PhraseMatch<P>>();
  for (const match of matches) if (match.payload === payload && !map.has(match.end)) map.set(match.end, match);
  return map;
}

function adjacent(text: string, left: Token, right: Token): boolean {
  return text.slice(left.end, right.start).trim().length === 0 && right.start - left.end <= 1;
}

class TimeWords {
  readonly prepEnds: Map<number, PhraseMatch<TimeWord>>;
  readonly hourWordAt: Map<number, PhraseMatch<TimeWord>>;
  readonly halfAt: Map<number, PhraseMatch<TimeWord>>;
  readonly amAt: Map<number, PhraseMatch<TimeWord>>;
  readonly pmAt: Map<number, PhraseMatch<TimeWord>>;
  readonly domAt: Map<number, PhraseMatch<TimeWord>>;
  readonly domEnds: Map<number, PhraseMatch<TimeWord>>;
  readonly durationEnds: Map<number, PhraseMatch<TimeWord>>;

  constructor(matches: readonly PhraseMatch<TimeWord>[]) {
    this.prepEnds = endsMap(matches, 'prep');
    this.hourWordAt = startsMap(matches, 'hourWord');
    this.halfAt = startsMap(matches, 'half');
    this.amAt = startsMap(matches, 'am');
    this.pmAt = startsMap(matches, 'pm');
    this.domAt = startsMap(matches, 'dayOfMonth');
    this.domEnds = endsMap(matches, 'dayOfMonth');
    this.durationEnds = endsMap(matches, 'duration');
  }
}

function spanOf(match: PhraseMatch<unknown>): number[] {
  const out: number[] = [];
  for (let i = match.start; i < match.end; i++) out.push(i);
  return out;
}

/** Finds the first hour named in the message with our own rules. */
function findOwnTime(
  req: DateRequest,
  words: TimeWords,
  dayparts: ReadonlyMap<number, PhraseMatch<DayWord>>,
  free: (i: number) => boolean,
  taken: Set<number>,
): OwnTime | null {
  const { tokens } = req.input;
  const { model, text } = req;
  const numberWords = new Map<number, PhraseMatch<number>>();
  for (const match of model.numbers.find(req.input, { langs: req.langs, isTaken: (i) => !free(i) })) {
    numberWords.set(match.start, match);
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || !free(i)) continue;
    const used: number[] = [i];
    let hour: number | null = null;
    let minute = 0;
    let after = i + 1;
    const prep = words.prepEnds.get(i);
    if (token.kind === 'clock') {
      const clock = parseClock(token.norm);
      if (clock) ({ hour, minute } = clock);
    } else if (token.kind === 'numericDate' && prep) {
      const numeric = parseNumeric(token.norm);
      if (numeric?.kind === 'clock') ({ hour, minute } = numeric);
    } else if (token.kind === 'number' && token.value !== undefined && token.value <= LAST_HOUR) {
      if (words.domAt.has(i + 1) || words.domEnds.has(i) || words.durationEnds.has(i)) continue;
      const hourWord = words.hourWordAt.get(i + 1);
      const marked = prep || hourWord || words.amAt.has(i + 1) || words.pmAt.has(i + 1) || dayparts.has(i + 1);
      if (!marked) continue;
      hour = token.value;
      if (hourWord) {
        used.push(...spanOf(hourWord));
        after = hourWord.end;
        const minutes = tokens[after];
        const hourWordToken = tokens[hourWord.end - 1];
        if (minutes?.kind === 'number' && minutes.value !== undefined && minutes.value <= 59 && hourWordToken && adjacent(text, hourWordToken, minutes)) {
          minute = minutes.value;
          used.push(after);
          after++;
        }
      }
    } else if (numberWords.has(i)) {
      const word = numberWords.get(i);
      if (word && (prep || words.hourWordAt.has(word.end))) {
        hour = word.payload;
        used.push(...spanOf(word));
        after = word.end;
      }
    } else if (token.script === 'hebrew') {
      for (const alt of token.alts) {
        const value = model.hebrewNumbers.get(alt.norm);
        if (value !== undefined && model.hebrewTimePrefixes.has(alt.prefix)) hour = value;
      }
    }
    if (hour === null) continue;
    if (prep) used.push(...spanOf(prep));
    const trailingHourWord = words.hourWordAt.get(after);
    if (trailingHourWord) {
      used.push(...spanOf(trailingHourWord));
      after = trailingHourWord.end;
    }
    const half = words.halfAt.get(after);
    if (half && minute === 0) {
      minute = 30;
      used.push(...spanOf(half));
      after = half.end;
    }
    let meridiem: 'am' | 'pm' | null = null;
    const am = words.amAt.get(after);
    const pm = words.pmAt.get(after);
    if (am) {
      meridiem = 'am';
      used.push(...spanOf(am));
    } else if (pm) {
      meridiem = 'pm';
      used.push(...spanOf(pm));
    }
    for (const index of used) taken.add(index);
    return { hour, minute, meridiem };
  }
  return null;
}

function findDayOfMonth(req: DateRequest, words: TimeWords, free: (i: number) => boolean, taken: Set<number>): number | null {
  const { tokens } = req.input;
  const suffixStarts = new Set(
    req.model.ordinalSuffixes.findAll(req.input, { langs: req.langs }).map((match) => match.start),
  );
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'number' || token.value === undefined || !free(i)) continue;
    const value = token.value;
    if (value < 1 || value > 31) continue;
    const before = words.domEnds.get(i);
    const after = words.domAt.get(i + 1);
    const next = tokens[i + 1];
    const suffixed = value >= 10 && next !== undefined && suffixStarts.has(i + 1) && adjacent(req.text, token, next);
    if (!before && !after && !suffixed) continue;
    taken.add(i);
    for (const match of [before, after]) if (match) for (const index of spanOf(match)) taken.add(index);
    if (suffixed) taken.add(i + 1);
    return value;
  }
  return null;
}

function findNumericDate(req: DateRequest, free: (i: number) => boolean, taken: Set<number>): NumericToken | null {
  for (const token of req.input.tokens) {
    if (token.kind !== 'numericDate' || !free(token.index)) continue;
    const numeric = parseNumeric(token.norm);
    if (numeric?.kind === 'date') {
      taken.add(token.index);
      return numeric;
    }
  }
  return null;
}

function nextWeekday(today: DateTime, weekday: number): DateTime {
  const ahead = (weekday - today.weekday + 7) % 7;
  return today.plus({ days: ahead === 0 ? 7 : ahead });
}

function dayOfMonthAhead(today: DateTime, day: number): DateTime | null {
  for (let months = 0; months <= 2; months++) {
    const month = today.plus({ months });
    const candidate = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: today.zone });
    if (candidate.isValid && candidate >= today) return candidate;
  }
  return null;
}

function calendarDay(day: CalendarDay | { month: number; day: number }, today: DateTime): DateTime | null {
  const year = 'year' in day ? day.year : today.year;
  const result = DateTime.fromObject({ year, month: day.month, day: day.day }, { zone: today.zone });
  return result.isValid ? result : null;
}

function toHour24(hour: number, meridiem: 'am' | 'pm' | null, hint: DayPart | null): number {
  if (meridiem === 'pm') return hour < NOON ? hour + NOON : hour;
  if (meridiem === 'am') return hour === NOON ? 0 : hour;
  if (hint === 'afternoon' || hint === 'evening') return hour < NOON ? hour + NOON : hour;
  if (hint === 'morning') return hour;
  return hour >= 1 && hour <= AFTERNOON_GUESS_MAX ? hour + NOON : hour;
}

interface MaskedText {
  readonly text: string;
  /** Offset in the original text of every character of `text`. */
  readonly origin: readonly number[];
}

/**
 * The text without the tokens already read, for chrono. Removed tokens and runs of whitespace
 * become one space: chrono's patterns misread long runs of spaces ("1 декабря     ").
 */
function maskedText(text: string, tokens: readonly Token[], taken: ReadonlySet<number>, isTaken: (i: number) => boolean): MaskedText {
  const removed = new Array<boolean>(text.length).fill(false);
  for (const token of tokens) {
    if (taken.has(token.index) || isTaken(token.index)) removed.fill(true, token.start, token.end);
  }
  let out = '';
  const origin: number[] = [];
  let lastWasSpace = true;
  for (let i = 0; i < text.length; i++) {
    const ch = removed[i] ? ' ' : text.charAt(i);
    const isSpace = /\s/.test(ch);
    if (isSpace && lastWasSpace) continue;
    out += isSpace ? ' ' : ch;
    origin.push(i);
    lastWasSpace = isSpace;
  }
  return { text: out, origin };
}

export function extractDate(req: DateRequest): DateExtraction {
  const { input, model, langs } = req;
  const taken = new Set<number>();
  const free = (i: number): boolean => !taken.has(i) && !req.isTaken(i);

  const dayWords = model.dayWords.find(input, { langs, isTaken: req.isTaken });
  for (const match of dayWords) for (const index of spanOf(match)) taken.add(index);
  const dayparts = new Map<number, PhraseMatch<DayWord>>();
  let hint: DayPart | null = null;
  let ownDay: DayWord | null = null;
  let noon = false;
  for (const match of dayWords) {
    const word = match.payload;
    if (word.kind === 'daypart') {
      dayparts.set(match.start, match);
      hint ??= word.part;
    } else if (word.kind === 'noon') noon = true;
    else ownDay ??= word;
  }

  const words = new TimeWords(model.timeWords.findAll(input, { langs, isTaken: (i) => !free(i) }));
  const numeric = findNumericDate(req, free, taken);
  const ownTime = findOwnTime(req, words, dayparts, free, taken);
  const dayOfMonth = findDayOfMonth(req, words, free, taken);

  let zoneNow: DateTime | null = null;
  const clinicNow = (): DateTime => (zoneNow ??= DateTime.fromJSDate(req.now, { zone: req.zone }));
  let chrono: ChronoFinding | null = null;
  if (req.chronoLocale !== null) {
    const masked = maskedText(req.text, input.tokens, taken, req.isTaken);
    if (worthAskingChrono(masked.text, req, taken)) {
      const finding = parseWithChrono(masked.text, req.chronoLocale, req.now, clinicNow().offset);
      for (const [from, to] of finding.spans) {
        const start = masked.origin[from] ?? 0;
        const end = (masked.origin[to - 1] ?? start) + 1;
        for (const token of input.tokens) if (token.start < end && token.end > start) taken.add(token.index);
      }
      chrono = finding;
    }
  }

  const nothingFound =
    numeric === null && ownDay === null && ownTime === null && dayOfMonth === null && !noon &&
    (chrono === null || (chrono.day === null && chrono.weekday === null && chrono.time === null));
  if (nothingFound) return { date: null, taken };

  const today = clinicNow().startOf('day');
  let day: DateTime | null = null;
  if (numeric?.kind === 'date') day = calendarDay(numeric.day, today);
  else if (chrono?.day) day = calendarDay(chrono.day, today);
  else if (ownDay?.kind === 'relative') day = today.plus({ days: ownDay.offset });
  else if (ownDay?.kind === 'weekday') day = nextWeekday(today, ownDay.weekday);
  else if (chrono?.weekday) day = nextWeekday(today, chrono.weekday);
  else if (dayOfMonth !== null) day = dayOfMonthAhead(today, dayOfMonth);

  let time: { hour: number; minute: number } | null = null;
  if (ownTime) time = { hour: toHour24(ownTime.hour, ownTime.meridiem, hint), minute: ownTime.minute };
  else if (chrono?.time) {
    const { hour, minute, meridiemKnown } = chrono.time;
    time = { hour: meridiemKnown ? hour : toHour24(hour, null, hint), minute };
  } else if (noon) time = { hour: NOON, minute: 0 };

  // A part of the day alone ("good afternoon") is no date; with a day it narrows the search.
  const date = compose(day, time, req.now, today);
  return { date: date && !date.hasTime && hint ? { ...date, partOfDay: hint } : date, taken };
}

/**
 * chrono is the slowest step, so it only runs when the text left over could hold a date: a digit,
 * or a word none of our phrase lists knows (month names, "next week", "через неделю").
 */
function worthAskingChrono(masked: string, req: DateRequest, taken: ReadonlySet<number>): boolean {
  if (/\d/.test(masked)) return true;
  return req.input.tokens.some(
    (token) =>
      token.kind === 'word' && !taken.has(token.index) && !req.isTaken(token.index) && !req.model.knownWords.has(token.norm),
  );
}

function compose(
  day: DateTime | null,
  time: { hour: number; minute: number } | null,
  now: Date,
  today: DateTime,
): DateEntity | null {
  if (day === null && time === null) return null;
  if (time === null) return day ? { start: iso(day), hasTime: false } : null;
  let at = (day ?? today).set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  if (day === null && at.toMillis() <= now.getTime()) at = at.plus({ days: 1 });
  return { start: iso(at), hasTime: true };
}

function iso(value: DateTime): string {
  return value.toUTC().toISO() ?? value.toJSDate().toISOString();
}
