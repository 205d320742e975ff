/**
 * Services and doctors named in a message, from the catalog's names and synonyms in every
 * language. A name under negation ("не нужен Дан с пломбой") goes to `negated`, not to entities.
 */
import { ALL_LANGS } from '../langs.js';
import type { NluModel } from '../model.js';
import type { Negation } from '../negation.js';
import type { MatchInput, PhraseIndex, PhraseMatch } from '../phrase-index.js';

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
 * Drops a one-word doctor name that is also an ordinary word of the message's languages
 * ("¿me dan una cita?") unless a title comes right before it ("Dr. Dan").
 */
export function dropLookalikes(
  matches: readonly PhraseMatch<string>[],
  input: MatchInput,
  model: NluModel,
  langs: number,
): PhraseMatch<string>[] {
  return matches.filter((match) => {
    if (match.tokens.length !== 1) return true;
    const token = input.tokens[match.start];
    const bits = token ? model.nameLookalikes.get(token.norm) : undefined;
    if (bits === undefined || (bits & langs) === 0) return true;
    const previous = input.tokens[match.start - 1];
    return previous !== undefined && model.titles.has(previous.norm);
  });
}

/**
 * Splits matches into positive and negated ids. `isSuppressed` drops a name that is only part of a
 * longer phrase meaning something else ("minha consulta" = my appointment, not the consultation).
 */
export function resolveCatalog(
  matches: readonly PhraseMatch<string>[],
  negation: Negation,
  isSuppressed: (match: PhraseMatch<string>) => boolean,
): CatalogEntities {
  const positive: CatalogHit[] = [];
  const negated: string[] = [];
  for (const match of matches) {
    if (isSuppressed(match)) continue;
    if (negation.isNegated(match.start, match.end)) {
      if (!negated.includes(match.payload)) negated.push(match.payload);
    } else if (!positive.some((hit) => hit.id === match.payload)) {
      positive.push({ id: match.payload, quality: match.quality, start: match.start, end: match.end, tokens: match.tokens });
    }
  }
  return { positive, negatedIds: negated.filter((id) => !positive.some((hit) => hit.id === id)) };
}
