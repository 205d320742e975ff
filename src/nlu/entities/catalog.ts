/**
 * Services and doctors named in a message, from the catalog's names and synonyms in every
 * language. A name under negation ("не нужен Дан с пломбой") goes to `negated`, not to entities.
 */
import { ALL_LANGS } from '../langs.js';
import type { NluModel } from '../model.js';
import type { Token } from '../normalize.js';
import type { Negation } from '../negation.js';
import { selectNonOverlapping, type MatchInput, type PhraseIndex, type PhraseMatch } from '../phrase-index.js';

/** Below this a name matched only with a typo ("marca" for Marta, "brazo" for Bravo). */
const TYPO_QUALITY = 0.8;

export interface CatalogHit {
  readonly id: string;
  readonly quality: number;
  readonly start: number;
  readonly end: number;
  readonly tokens: readonly number[];
}

export interface CatalogEntities {
  /** Named without negation, in text order, one per id. */
  readonly positive: readonly CatalogHit[];
  /** Named under negation and not also named positively. */
  readonly negatedIds: readonly string[];
}

function findIn(index: PhraseIndex<string>, input: MatchInput, isTaken: (i: number) => boolean): PhraseMatch<string>[] {
  return index.find(input, { langs: ALL_LANGS, isTaken });
}

export function findServices(input: MatchInput, model: NluModel, isTaken: (i: number) => boolean): PhraseMatch<string>[] {
  return findIn(model.services, input, isTaken);
}

export function findDoctors(input: MatchInput, model: NluModel, isTaken: (i: number) => boolean): PhraseMatch<string>[] {
  return findIn(model.doctors, input, isTaken);
}

/**
 * Keeps the doctor names that are really names. A one-word name that is also an ordinary word of
 * the message's languages ("¿me dan una cita?", "dor nas costas", "costa del sol") counts only
 * after a title ("Dr. Dan") or written with a capital inside a sentence ("no a Costa"); a one-word
 * name read with a typo ("marca" for Marta) counts only after a title.
 */
export function keepLikelyNames(
  matches: readonly PhraseMatch<string>[],
  input: MatchInput,
  text: string,
  model: NluModel,
  langs: number,
): PhraseMatch<string>[] {
  return matches.filter((match) => {
    const previous = input.tokens[match.start - 1];
    const afterTitle = previous !== undefined && model.titles.has(previous.norm);
    if (match.tokens.length !== 1) return true;
    if (match.quality < TYPO_QUALITY) return afterTitle;
    const token = input.tokens[match.start];
    if (!model.smallWords.has('nameLookalikes', token?.norm, langs)) return true;
    return afterTitle || afterNameMarker(previous, model, langs) || (token !== undefined && writtenAsName(text, token.start));
  });
}

/** "אצל לב", "con Rosa": a word that puts a person after it. */
function afterNameMarker(previous: Token | undefined, model: NluModel, langs: number): boolean {
  return model.smallWords.has('nameMarkers', previous?.norm, langs);
}

/** A capital letter that does not merely start a sentence. */
function writtenAsName(text: string, start: number): boolean {
  const first = text.charAt(start);
  if (first === first.toLowerCase()) return false;
  const before = text.slice(0, start).trimEnd();
  return before.length > 0 && !/[.!?¿¡\n]$/.test(before);
}

/**
 * Services and doctors compete for the same words: the longer, better match wins, so "dor nas
 * costas" is back pain rather than Dr. Costa, and "רופא ילדים" is the paediatrician, not a GP.
 */
export function resolveCatalogOverlaps(
  services: readonly PhraseMatch<string>[],
  doctors: readonly PhraseMatch<string>[],
): { services: PhraseMatch<string>[]; doctors: PhraseMatch<string>[] } {
  type Kind = 'service' | 'doctor';
  const tag = (kind: Kind) => (match: PhraseMatch<string>): PhraseMatch<{ kind: Kind; id: string }> => ({ ...match, payload: { kind, id: match.payload } });
  const tagged = [...services.map(tag('service')), ...doctors.map(tag('doctor'))];
  const kept = selectNonOverlapping(tagged);
  const back = (kind: Kind): PhraseMatch<string>[] =>
    kept.filter((match) => match.payload.kind === kind).map((match) => ({ ...match, payload: match.payload.id }));
  return { services: back('service'), doctors: back('doctor') };
}

/**
 * A title alone that only one practitioner carries names them: "the nurse", "к медбрату",
 * "com o enfermeiro" (a title that is also a service's name, "fisioterapeuta", is the service).
 */
export function findTitleOnlyDoctors(input: MatchInput, model: NluModel, isTaken: (i: number) => boolean): PhraseMatch<string>[] {
  const found: PhraseMatch<string>[] = [];
  input.tokens.forEach((token, i) => {
    if (isTaken(i) || token.kind !== 'word') return;
    const holders = model.titleHolders.get(token.norm) ?? model.titleHolders.get(token.stem) ?? holderOfAlt(model, token.alts);
    const [only] = holders ?? [];
    if (only === undefined || (holders?.size ?? 0) !== 1) return;
    found.push({ payload: only, start: i, end: i + 1, tokens: [i], quality: 0.9, langs: ALL_LANGS });
  });
  return found;
}

/**
 * Practitioners a title names when it names more than one ("la dra" with two Dras. in the catalog),
 * or spells out an abbreviation they carry ("la doctora").
 */
export function sharedTitleHolders(input: MatchInput, model: NluModel, isTaken: (i: number) => boolean): string[] {
  const ids = new Set<string>();
  input.tokens.forEach((token, i) => {
    if (isTaken(i) || token.kind !== 'word') return;
    const holders = model.titleHolders.get(token.norm) ?? model.titleHolders.get(token.stem) ?? holderOfAlt(model, token.alts);
    const kin = model.titleKin.get(token.norm);
    if (holders && holders.size > 1) for (const id of holders) ids.add(id);
    else if (!holders && kin) for (const id of kin) ids.add(id);
  });
  return [...ids];
}

function holderOfAlt(model: NluModel, alts: readonly { norm: string; stem: string }[]): ReadonlySet<string> | undefined {
  for (const alt of alts) {
    const holders = model.titleHolders.get(alt.norm) ?? model.titleHolders.get(alt.stem);
    if (holders) return holders;
  }
  return undefined;
}

/**
 * Splits matches into positive and negated ids. `isSuppressed` drops a name that is only part of a
 * longer phrase meaning something else ("minha consulta" = my appointment, not the consultation).
 */
export function resolveCatalog(
  matches: readonly PhraseMatch<string>[],
  negation: Negation,
  isSuppressed: (match: PhraseMatch<string>) => boolean,
  isCarrier: (index: number) => boolean = () => false,
): CatalogEntities {
  const positive: CatalogHit[] = [];
  const negated: string[] = [];
  for (const match of matches) {
    if (isSuppressed(match)) continue;
    if (isNegatedName(match, negation, matches, isCarrier)) {
      if (!negated.includes(match.payload)) negated.push(match.payload);
    } else if (!positive.some((hit) => hit.id === match.payload)) {
      positive.push({ id: match.payload, quality: match.quality, start: match.start, end: match.end, tokens: match.tokens });
    }
  }
  return { positive, negatedIds: negated.filter((id) => !positive.some((hit) => hit.id === id)) };
}

/**
 * A cue denies the first name of a kind after it, not a second one ("вместо чистки пломбу" wants
 * the filling), unless a carrier joins them ("not the cleaning or the filling"). Names of another
 * kind share the denial ("не нужен Дан с пломбой").
 */
function isNegatedName(
  match: PhraseMatch<string>,
  negation: Negation,
  sameKind: readonly PhraseMatch<string>[],
  isCarrier: (index: number) => boolean,
): boolean {
  if (!negation.isNegated(match.start, match.end)) return false;
  const cueEnd = negation.cueEndBefore(match.start);
  if (cueEnd === null) return true;
  const previous = sameKind.filter((other) => other !== match && other.start >= cueEnd && other.end <= match.start).at(-1);
  if (previous === undefined) return true;
  for (let i = previous.end; i < match.start; i++) if (isCarrier(i)) return true;
  return false;
}
