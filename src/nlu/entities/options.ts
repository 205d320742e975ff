/**
 * Option numbers 1–9: "2", "#2", "option 2", "2nd", "2-й", "2º", "the second one", "второй",
 * "השני", "a segunda". A bare digit or number word counts only when the message is nothing but the choice
 * (plus fillers such as "the", "please", "quiero", or a yes/no word); ordinal words count anywhere.
 */
import type { NluModel } from '../model.js';
import type { MatchInput, MatchScope } from '../phrase-index.js';

/** `OptionHit.option` for "the last one": the menu's length is only known to the conversation. */
export const LAST_OPTION = -1;

export interface OptionHit {
  /** 1-based, or LAST_OPTION. */
  readonly option: number;
  readonly quality: number;
  readonly tokens: readonly number[];
  /** Named by an ordinal or "last" word rather than a number: inside a longer message it needs a filler next to it. */
  readonly byWord?: true;
}

const MIN_OPTION = 1;
const MAX_OPTION = 9;
const SUFFIX_GAP = /^[-.]?$/;

function isOptionNumber(value: number | undefined): value is number {
  return value !== undefined && value >= MIN_OPTION && value <= MAX_OPTION;
}

function candidates(input: MatchInput, text: string, model: NluModel, scope: MatchScope, allowBare: boolean): OptionHit[] {
  const { tokens } = input;
  const hits: OptionHit[] = [];
  for (const match of model.ordinals.find(input, scope)) {
    hits.push({ option: match.payload, quality: match.quality, tokens: range(match.start, match.end), byWord: true });
  }
  // "last" is an option when the message is the choice ("the last one") or, like an ordinal word, next
  // to a filler ("fico com a última"); not in "last time I…".
  for (const match of model.lastOption.find(input, scope)) {
    hits.push({ option: LAST_OPTION, quality: match.quality, tokens: range(match.start, match.end), byWord: true });
  }
  const markerEnds = new Map<number, readonly number[]>();
  for (const marker of model.optionMarkers.find(input, scope)) markerEnds.set(marker.end, range(marker.start, marker.end));
  const suffixStarts = new Set(model.ordinalSuffixes.findAll(input, scope).map((match) => match.start));

  tokens.forEach((token, i) => {
    if (token.kind !== 'number' || scope.isTaken?.(i) || !isOptionNumber(token.value)) return;
    const next = tokens[i + 1];
    if (next !== undefined && suffixStarts.has(i + 1) && SUFFIX_GAP.test(text.slice(token.end, next.start))) {
      hits.push({ option: token.value, quality: 1, tokens: [i, i + 1] });
      return;
    }
    const marker = markerEnds.get(i);
    if (marker) hits.push({ option: token.value, quality: 1, tokens: [...marker, i] });
    else if (allowBare) hits.push({ option: token.value, quality: 1, tokens: [i] });
  });

  // "one" in "the last one" is a filler, not option 1.
  const fillers = new Set(model.optionFillers.find(input, scope).flatMap((match) => range(match.start, match.end)));
  for (const word of model.numbers.find(input, scope)) {
    const marker = markerEnds.get(word.start);
    if (marker && isOptionNumber(word.payload)) {
      hits.push({ option: word.payload, quality: word.quality, tokens: [...marker, ...range(word.start, word.end)] });
    } else if (allowBare && isOptionNumber(word.payload) && !fillers.has(word.start)) {
      // "dale, el tres": a number word is the choice when the message is nothing else.
      hits.push({ option: word.payload, quality: word.quality, tokens: range(word.start, word.end) });
    }
  }
  return hits.sort((a, b) => (a.tokens[0] ?? 0) - (b.tokens[0] ?? 0));
}

function range(start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(i);
  return out;
}

/** The option when the whole message is a choice ("2", "the second one", "yes, #3 please"). */
export function findStandaloneOption(input: MatchInput, text: string, model: NluModel, langs: number): OptionHit | null {
  const scope: MatchScope = { langs };
  const hits = candidates(input, text, model, scope, true);
  const first = hits[0];
  if (first === undefined || hits.some((hit) => hit.option !== first.option)) return null;
  const covered = new Set<number>(hits.flatMap((hit) => hit.tokens));
  for (const index of [model.optionFillers, model.optionMarkers, model.yesNo]) {
    for (const match of index.find(input, scope)) for (let i = match.start; i < match.end; i++) covered.add(i);
  }
  return input.tokens.every((_token, i) => covered.has(i)) ? first : null;
}

/** "последний, как раз после садика", "la ultima, antes no salgo": the word opens the message and a comma or stop ends it. */
function opensSetApart(input: MatchInput, text: string, first: number, last: number): boolean {
  const end = input.tokens[last]?.end;
  const next = input.tokens[last + 1];
  return first === 0 && end !== undefined && /^\s*[,.;!:—–-]/.test(text.slice(end, next?.start ?? text.length));
}

/**
 * An option named inside a longer message ("I'll take the second one tomorrow", "давайте первый").
 * An ordinal word counts only next to a filler or marker ("the", "one", "беру", "option"): alone
 * among other words it is an adverb ("let me check my diary first", "o primeiro passo").
 */
export function findOption(
  input: MatchInput,
  text: string,
  model: NluModel,
  langs: number,
  isTaken: (i: number) => boolean,
): OptionHit | null {
  const scope: MatchScope = { langs, isTaken };
  // Every filler counts, overlapping ones too ("мне удобнее всего последний": "мне удобнее", "удобнее всего").
  const near = new Set<number>();
  for (const index of [model.optionFillers, model.optionMarkers]) {
    for (const match of index.findAll(input, scope)) for (let i = match.start; i < match.end; i++) near.add(i);
  }
  const counts = (hit: OptionHit): boolean => {
    const first = hit.tokens[0] ?? 0;
    const last = hit.tokens[hit.tokens.length - 1] ?? 0;
    // "first, …" opens many a sentence; "la primera, …", "the last, …" or "the second, …" only a choice.
    const setApart = (hit.option !== 1 || hit.tokens.length > 1) && opensSetApart(input, text, first, last);
    return !hit.byWord || near.has(first - 1) || near.has(last + 1) || setApart;
  };
  return candidates(input, text, model, scope, false).find(counts) ?? null;
}
