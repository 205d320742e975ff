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
 *
 * Only expressions of a wanted day set the day: a length of time ("for two weeks", "desde hace
 * dos semanas"), a day after "since" ("desde el sábado") and a day already past are not. When
 * several days are named the last one wins: patients give the background first and correct
 * themselves last ("booked on Wednesday… could we do Monday instead?", "del martes al miércoles").
 * "after 5" / "antes de las 10" make the time a bound (`timeRelation`); without a day named, the
 * entity says so (`anyDay`) and any day will do.
 */
import { DateTime } from 'luxon';
import type { DateEntity } from '../../core/nlu.js';
import type { DayPart, DayWord, NluModel, TimeWord } from '../model.js';
import { normalizeWord, type Token } from '../normalize.js';
import type { MatchInput, PhraseMatch } from '../phrase-index.js';
import { parseWithChrono, type CalendarDay, type ChronoLocale, type ChronoReading } from './chrono.js';

export interface DateRequest {
  readonly text: string;
  readonly input: MatchInput;
  readonly model: NluModel;
  readonly langs: number;
  readonly isTaken: (index: number) => boolean;
  readonly now: Date;
  readonly zone: string;
  readonly chronoLocale: ChronoLocale | null;
  /** Tokens of greetings, thanks and goodbyes: "good afternoon" names no part of the day, "see you tomorrow" no day. */
  readonly isCourtesy: (index: number) => boolean;
  /** Tokens of a clause saying which time the patient cannot keep ("I can't make it today"): no day or time wanted there. */
  readonly isLeaving: (index: number) => boolean;
  /** Tokens of a clause holding a negation ("por la mañana no me dan permiso"): a part of the day named there is the one refused. */
  readonly isDenied: (index: number) => boolean;
}

export interface DateExtraction {
  readonly date: DateEntity | null;
  /** Token where the day used was named, when one was. */
  readonly dayAt?: number;
  /** Tokens that belong to the date/time, so option and entity extractors skip them. */
  readonly taken: ReadonlySet<number>;
}

interface OwnTime {
  readonly hour: number;
  readonly minute: number;
  readonly meridiem: 'am' | 'pm' | null;
  readonly relation: 'after' | 'before' | null;
  /** Only a preposition made the number an hour ("ב-17"): it may be a day of the month instead. */
  readonly weak: boolean;
  /** First token of the time. */
  readonly at: number;
}

/** A day the message names, where it names it. */
interface DayMention {
  readonly day: DateTime;
  readonly at: number;
  readonly byWeekday?: boolean;
  /** A week was named: `day` is its first day still ahead, and any day from it will do. */
  readonly fromDay?: boolean;
}

type NumericToken = { kind: 'date'; day: CalendarDay | { month: number; day: number } } | { kind: 'clock'; hour: number; minute: number };

const LAST_HOUR = 23;
/**
 * A number made an hour only by a preposition is a day of the month above this ("al 22", "на 21",
 * "ל21"): nobody asks a clinic for 21:00, and the same prepositions introduce days.
 */
const LAST_BARE_HOUR = 20;
/** After a weekday, a number that cannot be a morning or afternoon hour in 12-hour speech is its date ("el lunes 21"). */
const FIRST_DAY_AFTER_WEEKDAY = 13;
/** Between a number and its ordinal suffix: nothing, a hyphen or a dot ("15th", "15-го", "21-е"). */
const SUFFIX_JOIN = /^[-.]?$/;
const AFTERNOON_GUESS_MAX = 7;
const NOON = 12;

/** The minutes must be free: in "de 4 y 6 años" the 6 is an age. */
function minutesJoinedAt(req: DateRequest, at: number, free: (i: number) => boolean): { minute: number; used: number } | null {
  const { tokens } = req.input;
  const next = tokens[at];
  if (!free(at) || !free(at + 1)) return null;
  // «в 13 20»: two digits straight after the hour are its minutes.
  if (next?.kind === 'number' && next.value !== undefined && req.text.slice(next.start, next.end).length === 2 && next.value <= 59) return { minute: next.value, used: 1 };
  const minutes = tokens[at + 1];
  if (!next || !req.model.smallWords.has('minuteJoiners', next.norm, req.langs) || minutes?.kind !== 'number' || minutes.value === undefined) return null;
  return minutes.value >= 1 && minutes.value <= 59 ? { minute: minutes.value, used: 2 } : null;
}

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
  /** Prepositions before an hour, time bounds included ("at", "after", "antes de las"). */
  readonly prepEnds: Map<number, PhraseMatch<TimeWord>>;
  readonly relationEnds: Map<number, PhraseMatch<TimeWord>>;
  /** "since", "desde el": the day that follows is past or being left. */
  readonly sinceEnds: Map<number, PhraseMatch<TimeWord>>;
  /** "for", "desde hace": the length of time that follows is no day ("for two weeks"). */
  readonly durationMarkerEnds: Map<number, PhraseMatch<TimeWord>>;
  readonly hourWordAt: Map<number, PhraseMatch<TimeWord>>;
  readonly halfAt: Map<number, PhraseMatch<TimeWord>>;
  readonly quarterAt: Map<number, PhraseMatch<TimeWord>>;
  /** "half past", "quarter to": minutes said before the hour, by where they end. */
  readonly leadEnds: Map<number, PhraseMatch<TimeWord>>;
  /** "menos cuarto": a quarter to the hour said before. */
  readonly quarterToAt: Map<number, PhraseMatch<TimeWord>>;
  readonly amAt: Map<number, PhraseMatch<TimeWord>>;
  readonly pmAt: Map<number, PhraseMatch<TimeWord>>;
  readonly domAt: Map<number, PhraseMatch<TimeWord>>;
  readonly domEnds: Map<number, PhraseMatch<TimeWord>>;
  readonly durationEnds: Map<number, PhraseMatch<TimeWord>>;
  /** Where an ordinal suffix ("th", "го", "º") starts. */
  readonly suffixStarts: ReadonlySet<number>;
  /** Where a weekday ("lunes", "в четверг") ends → its ISO weekday. */
  readonly weekdayEnds: ReadonlyMap<number, number>;
  /** Where any day word ("miércoles", "mañana", "tarde") starts. */
  readonly dayWordStarts: ReadonlySet<number>;

  constructor(matches: readonly PhraseMatch<TimeWord>[], suffixStarts: ReadonlySet<number>, dayWords: readonly PhraseMatch<DayWord>[]) {
    this.suffixStarts = suffixStarts;
    this.weekdayEnds = new Map(dayWords.flatMap((match) => (match.payload.kind === 'weekday' ? [[match.end, match.payload.weekday] as const] : [])));
    this.dayWordStarts = new Set(dayWords.map((match) => match.start));
    this.relationEnds = new Map([...endsMap(matches, 'after'), ...endsMap(matches, 'before')]);
    this.prepEnds = new Map([...endsMap(matches, 'prep'), ...this.relationEnds]);
    this.sinceEnds = endsMap(matches, 'sinceMarker');
    this.durationMarkerEnds = endsMap(matches, 'durationMarker');
    this.hourWordAt = startsMap(matches, 'hourWord');
    this.halfAt = startsMap(matches, 'half');
    this.quarterAt = startsMap(matches, 'quarter');
    this.leadEnds = new Map([...endsMap(matches, 'halfPast'), ...endsMap(matches, 'quarterPast'), ...endsMap(matches, 'quarterTo')]);
    this.quarterToAt = startsMap(matches, 'quarterToAfter');
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

/** Every hour named in the message, in text order, read with our own rules. */
function findOwnTimes(
  req: DateRequest,
  words: TimeWords,
  dayparts: ReadonlyMap<number, PhraseMatch<DayWord>>,
  free: (i: number) => boolean,
  taken: Set<number>,
): OwnTime[] {
  const found: OwnTime[] = [];
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
    let weak = false;
    // "at half past 5": the preposition comes before the minutes said before the hour.
    const lead = words.leadEnds.get(i);
    const prep = words.prepEnds.get(lead ? lead.start : i);
    if (token.kind === 'clock') {
      const clock = parseClock(token.norm);
      if (clock) ({ hour, minute } = clock);
    } else if (token.kind === 'numericDate') {
      const numeric = parseNumeric(token.norm);
      // "the 4.15 one": minutes past 12 cannot be a month, so it is a time even without "at".
      if (numeric?.kind === 'clock' && (prep || numeric.minute > LAST_MONTH)) ({ hour, minute } = numeric);
    } else if (token.kind === 'number' && token.value !== undefined && token.value <= LAST_HOUR) {
      if (marksDayOfMonth(req, words, i) || words.domEnds.has(i) || words.durationEnds.has(i) || suffixed(req, words, i)) continue;
      if (afterWeekday(req, words, i)) continue;
      const hourWord = words.hourWordAt.get(i + 1);
      const marked = prep || lead || hourWord || words.amAt.has(i + 1) || words.pmAt.has(i + 1) || dayparts.has(i + 1) || isLoneHour(req, i);
      if (!marked) continue;
      if (!hourWord && !words.amAt.has(i + 1) && !words.pmAt.has(i + 1) && !dayparts.has(i + 1) && token.value > LAST_BARE_HOUR) continue;
      hour = token.value;
      weak = !lead && !hourWord && !words.amAt.has(i + 1) && !words.pmAt.has(i + 1) && !dayparts.has(i + 1);
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
      if (word && (prep || lead || words.hourWordAt.has(word.end))) {
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
    if (lead) {
      used.push(...spanOf(lead));
      ({ hour, minute } = minutesBefore(lead.payload, hour));
    }
    const trailingHourWord = words.hourWordAt.get(after);
    if (trailingHourWord) {
      used.push(...spanOf(trailingHourWord));
      after = trailingHourWord.end;
    }
    const half = lead ? undefined : (words.halfAt.get(after) ?? words.quarterAt.get(after) ?? words.quarterToAt.get(after));
    if (half && minute === 0) {
      ({ hour, minute } = minutesBefore(half.payload, hour));
      used.push(...spanOf(half));
      after = half.end;
    }
    // "a las 2 y 20", "às 9 e 40", «в 13 20»: minutes joined to an hour said with "at".
    const joined = prep && minute === 0 && token.kind === 'number' ? minutesJoinedAt(req, after, free) : null;
    if (joined !== null) {
      minute = joined.minute;
      for (let k = 0; k < joined.used; k++) used.push(after + k);
      after += joined.used;
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
    const relation = prep ? words.relationEnds.get(i)?.payload : undefined;
    found.push({
      hour,
      minute,
      meridiem,
      relation: relation === 'after' || relation === 'before' ? relation : null,
      weak: weak && !trailingHourWord && !half && meridiem === null,
      at: prep ? prep.start : (lead?.start ?? i),
    });
  }
  return found;
}

const LAST_MONTH = 12;
const HALF_PAST = 30;
const QUARTER_PAST = 15;
const QUARTER_TO = 45;
const HOURS_IN_DAY = 24;

/** The hour and minutes that "half past", "y cuarto" or "quarter to" make of an hour (a quarter to 1 is 12:45). */
function minutesBefore(word: TimeWord, hour: number): { hour: number; minute: number } {
  if (word === 'quarterTo' || word === 'quarterToAfter') {
    const previous = (hour + HOURS_IN_DAY - 1) % HOURS_IN_DAY;
    return { hour: previous === 0 ? NOON : previous, minute: QUARTER_TO };
  }
  return { hour, minute: word === 'quarter' || word === 'quarterPast' ? QUARTER_PAST : HALF_PAST };
}

/** Below this a lone number is a menu option ("2 please"), not an hour. */
const FIRST_LONE_HOUR = 10;

/**
 * "12 works", "12 מתאים", "11 por favor": a number no option list reaches, with nothing but fillers
 * and a yes around it, is the hour the patient picks.
 */
function isLoneHour(req: DateRequest, i: number): boolean {
  const value = req.input.tokens[i]?.value;
  if (value === undefined || value < FIRST_LONE_HOUR || value > LAST_BARE_HOUR) return false;
  const scope = { langs: req.langs };
  const around = new Set<number>([i]);
  const confirms = req.model.intents.find(req.input, scope).filter((match) => match.payload === 'confirm');
  for (const match of [...req.model.optionFillers.find(req.input, scope), ...req.model.yesNo.find(req.input, scope), ...confirms]) {
    for (const t of match.tokens) around.add(t);
  }
  // A number alone may as well be a day of the month ("15" to "which day?"): a word must pick it.
  const words = req.input.tokens.filter((token) => token.kind === 'word' || token.kind === 'number');
  return words.length > 1 && words.every((token) => around.has(token.index));
}

/**
 * "el 15 del mes", "15 числа", "ב-18 בדצמבר": a day-of-month word after the number. "el" before a
 * day word is that day's article: in "a las 12 el miércoles" the 12 is the hour.
 */
function marksDayOfMonth(req: DateRequest, words: TimeWords, i: number): boolean {
  const word = words.domAt.get(i + 1);
  if (word === undefined) return false;
  // "לחודש", "числа" are no article: "ב-15 לחודש בבוקר" is the 15th in the morning.
  const article = word.end - word.start === 1 && isArticle(req.input.tokens[word.start]);
  return !(article && words.dayWordStarts.has(word.end));
}

/**
 * "el lunes 21", "terça 15", "ביום שלישי 15": right after a weekday, a number that cannot be a
 * 12-hour hour is its date ("во вторник в 18", "terça às 18h" name an hour), and so is one that
 * is that weekday's date in the coming weeks ("viernes 11" when Friday is the 11th; "lunes 9"
 * with no Monday the 9th ahead is nine o'clock).
 */
function afterWeekday(req: DateRequest, words: TimeWords, i: number): boolean {
  const value = req.input.tokens[i]?.value ?? 0;
  if (value < 1 || value > 31 || words.prepEnds.has(i)) return false;
  if (words.hourWordAt.has(i + 1) || words.amAt.has(i + 1) || words.pmAt.has(i + 1)) return false;
  const weekday = words.weekdayEnds.get(i) ?? (isArticle(req.input.tokens[i - 1]) ? words.weekdayEnds.get(i - 1) : undefined);
  if (weekday === undefined) return false;
  return value >= FIRST_DAY_AFTER_WEEKDAY || isWeekdayDateAhead(req, weekday, value);
}

/** Weeks ahead in which "<weekday> <n>" is taken for a date. */
const WEEKDAY_DATE_WEEKS = 5;

function isWeekdayDateAhead(req: DateRequest, weekday: number, dayOfMonth: number): boolean {
  const today = DateTime.fromJSDate(req.now, { zone: req.zone }).startOf('day');
  let day = nextWeekday(today, weekday);
  for (let week = 0; week < WEEKDAY_DATE_WEEKS; week++, day = day.plus({ weeks: 1 })) {
    if (day.day === dayOfMonth) return true;
  }
  return false;
}

/** "15th", "15-го", "21-е": the number is followed by an ordinal suffix written onto it. */
function suffixed(req: DateRequest, words: TimeWords, i: number): boolean {
  const token = req.input.tokens[i];
  const next = req.input.tokens[i + 1];
  return token !== undefined && next !== undefined && words.suffixStarts.has(i + 1) && SUFFIX_JOIN.test(req.text.slice(token.end, next.start));
}

function findDayOfMonth(req: DateRequest, words: TimeWords, free: (i: number) => boolean, taken: Set<number>): { value: number; at: number } | null {
  const { tokens } = req.input;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'number' || token.value === undefined || !free(i)) continue;
    const value = token.value;
    if (value < 1 || value > 31) continue;
    const before = words.domEnds.get(i);
    const after = words.domAt.get(i + 1);
    const ordinal = value >= 10 && suffixed(req, words, i);
    // "on the 27" ("ב-27", "el 27", "al 22"): after a time preposition, a number that cannot be an hour is a day.
    const notAnHour = value > LAST_BARE_HOUR && words.prepEnds.has(i);
    if (!before && !after && !ordinal && !notAnHour && !afterWeekday(req, words, i)) continue;
    taken.add(i);
    for (const match of [before, after]) if (match) for (const index of spanOf(match)) taken.add(index);
    if (ordinal) taken.add(i + 1);
    return { value, at: before ? before.start : i };
  }
  return null;
}

function findNumericDates(req: DateRequest, free: (i: number) => boolean, taken: Set<number>): { day: CalendarDay | { month: number; day: number }; at: number }[] {
  const found = [];
  for (const token of req.input.tokens) {
    if (token.kind !== 'numericDate' || !free(token.index)) continue;
    const numeric = parseNumeric(token.norm);
    if (numeric?.kind === 'date') {
      taken.add(token.index);
      found.push({ day: numeric.day, at: token.index });
    }
  }
  return found;
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

/**
 * Hebrew one-letter words written onto the number after them ("ב16:30", "ב-4"): a preposition, never
 * a weekday's letter ("יום ב" is Monday, but "היום ב16:30" is today at 16:30).
 */
function gluedPrefixes(req: DateRequest): Set<number> {
  const glued = new Set<number>();
  const { tokens } = req.input;
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.script !== 'hebrew' || token.norm.length !== 1 || next === undefined || (next.kind !== 'number' && next.kind !== 'clock')) return;
    if (/^-?$/.test(req.text.slice(token.end, next.start))) glued.add(i);
  });
  return glued;
}

/** The Hebrew article, written as a prefix. */
const HEBREW_ARTICLE = 'ה';

/**
 * "השני", "את השלישי": with the article, a one-word weekday that is also an ordinal is the ordinal
 * ("the second"). Monday is "בשני" or "(ב)יום (ה)שני", which the weekday lists match as one phrase,
 * and "השבת" is no number.
 */
function isArticleOrdinal(req: DateRequest, match: PhraseMatch<DayWord>, ordinalStarts: () => ReadonlySet<number>): boolean {
  if (match.payload.kind !== 'weekday' || match.end - match.start !== 1) return false;
  const token = req.input.tokens[match.start];
  return token !== undefined && token.alts.some((alt) => alt.prefix === HEBREW_ARTICLE) && ordinalStarts().has(match.start);
}

export function extractDate(req: DateRequest): DateExtraction {
  const { input, model, langs } = req;
  const taken = new Set<number>();
  const free = (i: number): boolean => !taken.has(i) && !req.isTaken(i);
  const today = DateTime.fromJSDate(req.now, { zone: req.zone }).startOf('day');

  // "a segunda opção": a weekday word that is also an ordinal, before "option", is the ordinal («субботний вариант» is
  // Saturday's). Looked for only when a weekday was found, which few messages name.
  let ordinals: ReadonlySet<number> | null = null;
  const ordinalStarts = (): ReadonlySet<number> => (ordinals ??= new Set(model.ordinals.findAll(input, { langs }).map((ordinal) => ordinal.start)));
  const isOptionOrdinal = (match: PhraseMatch<DayWord>): boolean =>
    match.payload.kind === 'weekday' &&
    model.optionMarkers.find(input, { langs }).some((marker) => marker.start === match.end) &&
    ordinalStarts().has(match.start);
  const glued = gluedPrefixes(req);
  const dayWords = model.dayWords
    .find(input, { langs, isTaken: (i) => req.isTaken(i) || glued.has(i) })
    .filter((match) => !isArticleOrdinal(req, match, ordinalStarts) && !isOptionOrdinal(match));
  for (const match of dayWords) for (const index of spanOf(match)) taken.add(index);
  for (const index of agesAndLengths(req)) taken.add(index);
  const timeWordMatches = model.timeWords.findAll(input, { langs, isTaken: (i) => !free(i) });
  const suffixStarts = new Set(model.ordinalSuffixes.findAll(input, { langs }).map((match) => match.start));
  const words = new TimeWords(timeWordMatches, suffixStarts, dayWords);
  const thisDayEnds = endsMap(timeWordMatches, 'thisDay');
  const after = (ends: ReadonlyMap<number, unknown>, at: number): boolean => ends.has(at) || (ends.has(at - 1) && isArticle(input.tokens[at - 1]));
  // "esta semana no estoy", "לא, זה לא היום": a day refused is not the one wanted; Portuguese "no
  // sábado" is "on Saturday", not a refusal.
  const refused = (at: number): boolean => req.isDenied(at) && !model.smallWords.has('onBeforeDay', input.tokens[at - 1]?.norm, langs);
  const wanted = (at: number): boolean => !after(words.sinceEnds, at) && !req.isLeaving(at) && !refused(at);

  const days: DayMention[] = [];
  // Days named where the patient says which time they cannot keep ("can't make it tomorrow morning").
  const daysLeft: DayMention[] = [];
  let partLeft = false;
  const dayparts = new Map<number, PhraseMatch<DayWord>>();
  const partsNamed: { part: DayPart; denied: boolean }[] = [];
  let noon = false;
  for (const match of dayWords) {
    const word = match.payload;
    if (word.kind === 'daypart') {
      // "good afternoon" greets; the last part of the day named is the one wanted ("not mornings, afternoon pls").
      if (match.tokens.some(req.isCourtesy)) continue;
      if (req.isLeaving(match.start)) {
        partLeft = true;
        continue;
      }
      dayparts.set(match.start, match);
      partsNamed.push({ part: word.part, denied: req.isDenied(match.start) });
      if (thisDayEnds.has(match.start)) days.push({ day: today, at: match.start });
    } else if (word.kind === 'noon') noon = true;
    // "até amanhã", "see you tomorrow": a day inside a goodbye asks for nothing.
    else if (match.tokens.some(req.isCourtesy)) continue;
    else if (word.kind === 'week') {
      if (wanted(match.start)) days.push({ day: word.offset === 0 ? today : today.startOf('week').plus({ weeks: word.offset }), at: match.start, fromDay: true });
    } else {
      const mention: DayMention =
        word.kind === 'relative'
          ? { day: today.plus({ days: word.offset }), at: match.start }
          : { day: nextWeekday(today, word.weekday), at: match.start, byWeekday: true };
      if (wanted(match.start)) days.push(mention);
      else if (req.isLeaving(match.start) || refused(match.start)) daysLeft.push(mention);
    }
  }

  // "a la tarde, por la mañana no me dejan": a part named in a refusing clause is not the one wanted;
  // "днём не могу" alone names no part to look in.
  const hint = partsNamed.filter((p) => !p.denied).at(-1)?.part ?? null;

  for (const numeric of findNumericDates(req, free, taken)) {
    const day = calendarDay(numeric.day, today);
    if (day && wanted(numeric.at)) days.push({ day, at: numeric.at });
  }
  const ownTimes = findOwnTimes(req, words, dayparts, free, taken);
  const times = ownTimes.filter((t) => !req.isLeaving(t.at));
  const timeLeft = times.length < ownTimes.length;
  const dayOfMonth = findDayOfMonth(req, words, free, taken);
  if (dayOfMonth) {
    const day = dayOfMonthAhead(today, dayOfMonth.value);
    if (day) days.push({ day, at: dayOfMonth.at });
  }
  // "ב-17 בעשר בבוקר": a bare number after a preposition, with another time named, is the day of the month.
  const [first, second] = times;
  if (first && second && first.weak && !second.weak && first.hour >= 1 && days.length === 0) {
    const day = dayOfMonthAhead(today, first.hour);
    if (day) days.push({ day, at: first.at });
    times.shift();
  }

  const chrono = readWithChrono(req, taken, today);
  for (const reading of chrono) {
    // chrono reads "for two weeks" as a day two weeks away: a length of time is no day.
    const isDuration = after(words.durationMarkerEnds, reading.at) || words.durationMarkerEnds.has(reading.at + 1);
    if (!wanted(reading.at) || isDuration) continue;
    if (reading.day) {
      const day = calendarDay(reading.day, today);
      if (day) days.push({ day, at: reading.at });
    } else if (reading.weekday) days.push({ day: nextWeekday(today, reading.weekday), at: reading.at, byWeekday: true });
  }

  let time: { hour: number; minute: number } | null = null;
  let relation: 'after' | 'before' | null = null;
  const own = times[0];
  const chronoTime = chrono.find((reading) => reading.time !== null && !req.isLeaving(reading.at))?.time ?? null;
  if (own) {
    time = { hour: toHour24(own.hour, own.meridiem, hint), minute: own.minute };
    relation = own.relation;
  } else if (chronoTime) {
    time = { hour: chronoTime.meridiemKnown ? chronoTime.hour : toHour24(chronoTime.hour, null, hint), minute: chronoTime.minute };
  } else if (noon) time = { hour: NOON, minute: 0 };

  // "running late tomorrow morning, can we make it the evening?": only the time of that day is left, so
  // another part of the day or time asked for is on it.
  const [dayLeft] = daysLeft;
  partLeft ||= partsNamed.some((p) => p.denied);
  if (days.length === 0 && daysLeft.length === 1 && dayLeft && (partLeft || timeLeft) && (hint !== null || time !== null)) days.push(dayLeft);
  // A day already gone is background ("since yesterday"), never the day wanted.
  const mention = days.filter((m) => m.day >= today).sort((x, y) => x.at - y.at).at(-1) ?? null;
  // Only past days named ("yesterday at 10"): the message tells what happened, it asks for no time.
  if (mention === null && days.length > 0) return { date: null, taken };
  const date = mention?.fromDay ? fromDayOn(mention.day, time, hint, req.zone) : compose(mention?.day ?? null, time, hint, req.now, today, req.zone);
  if (date === null) return { date, taken };
  const dated = { ...date, ...(relation ? { timeRelation: relation } : {}), ...(mention?.byWeekday ? { byWeekday: true } : {}) };
  return mention ? { date: dated, taken, dayAt: mention.at } : { date: dated, taken };
}

/** "de 8 meses", "5 лет", "3 weeks": a number and a unit of time name an age or a length, no hour or day. */
function agesAndLengths(req: DateRequest): number[] {
  const scope = { langs: req.langs };
  const numberWordEnds = new Map(req.model.numbers.find(req.input, scope).map((match) => [match.end, match]));
  const matches = req.model.timeWords.find(req.input, scope);
  // "in 2 weeks", "через 2 недели": a length from now is a day.
  const fromNow = new Set(matches.filter((match) => match.payload === 'duration').map((match) => match.end));
  const out: number[] = [];
  for (const unit of matches) {
    if (unit.payload !== 'unit') continue;
    const before = req.input.tokens[unit.start - 1];
    const word = numberWordEnds.get(unit.start);
    if (before?.kind === 'number' && !fromNow.has(before.index)) {
      out.push(before.index, ...spanOf(unit), ...listedBefore(req, before.index));
    } else if (word && !fromNow.has(word.start)) out.push(...spanOf(word), ...spanOf(unit));
  }
  return out;
}

/** "de 4 y 6 años", "4 and 6 years old": numbers listed before the one a unit follows are of that unit too. */
function listedBefore(req: DateRequest, at: number): number[] {
  const joiner = req.input.tokens[at - 1];
  const number = req.input.tokens[at - 2];
  if (joiner?.kind !== 'word' || !req.model.smallWords.has('listJoiners', joiner.norm, req.langs) || number?.kind !== 'number') return [];
  return [joiner.index, number.index];
}

/** "la 3", "the 2": an article of `options.articles` and a number of one or two digits. */
function isArticleAndNumber(req: DateRequest, text: string): boolean {
  const [article, number, ...rest] = text.trim().split(/\s+/);
  return rest.length === 0 && /^\d{1,2}$/.test(number ?? '') && req.model.smallWords.has('articles', normalizeWord(article ?? ''), req.langs);
}

/** chrono's readings of the text our own rules left, with the token each starts at. */
function readWithChrono(req: DateRequest, taken: Set<number>, today: DateTime): (ChronoReading & { at: number })[] {
  if (req.chronoLocale === null) return [];
  const masked = maskedText(req.text, req.input.tokens, taken, req.isTaken);
  if (!worthAskingChrono(masked.text, req, taken)) return [];
  const out: (ChronoReading & { at: number })[] = [];
  for (const reading of parseWithChrono(masked.text, req.chronoLocale, req.now, today.offset)) {
    const [from, to] = reading.span;
    // "la 3 con el enfermero": an article and a number is the third of something, not three o'clock.
    if (isArticleAndNumber(req, masked.text.slice(from, to))) continue;
    const start = masked.origin[from] ?? 0;
    const end = (masked.origin[to - 1] ?? start) + 1;
    let at = -1;
    for (const token of req.input.tokens) {
      if (token.start < end && token.end > start) {
        taken.add(token.index);
        if (at < 0) at = token.index;
      }
    }
    if (at >= 0) out.push({ ...reading, at });
  }
  return out;
}

/** A short word between a marker and a day ("since the weekend", "desde el sábado"). */
function isArticle(token: Token | undefined): boolean {
  return token !== undefined && token.kind === 'word' && token.norm.length <= 3;
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
  part: DayPart | null,
  now: Date,
  today: DateTime,
  zone: string,
): DateEntity | null {
  if (day === null && time === null && part === null) return null;
  const anyDay = day === null ? { anyDay: true } : {};
  if (time === null) {
    const start = day ?? today;
    return { start: iso(start), hasTime: false, ...(part ? { partOfDay: part } : {}), ...anyDay, local: start.toFormat('yyyy-MM-dd') };
  }
  let at = (day ?? today).set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  if (day === null && at.toMillis() <= now.getTime()) at = at.plus({ days: 1 });
  return { start: iso(at), hasTime: true, ...anyDay, local: at.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") };
}

/** "next week (in the afternoon, at 10)": any day from `day` on. */
function fromDayOn(day: DateTime, time: { hour: number; minute: number } | null, part: DayPart | null, zone: string): DateEntity {
  if (time === null) return { start: iso(day), hasTime: false, ...(part ? { partOfDay: part } : {}), anyDay: true, local: day.toFormat('yyyy-MM-dd') };
  const at = day.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  return { start: iso(at), hasTime: true, anyDay: true, local: at.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") };
}

function iso(value: DateTime): string {
  return value.toUTC().toISO() ?? value.toJSDate().toISOString();
}
