/**
 * Offline NLU: intents and entities for the five shipped languages, with no network.
 * `createNlu` compiles the catalog and phrase lists once; `understand` is then pure and fast.
 */
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import type { NluResult } from '../core/nlu.js';
import type { NluLexicons } from './load.js';
import { buildModel } from './model.js';
import { detectLanguageWith, understandWith, type NluContext } from './understand.js';

export type { NluContext } from './understand.js';
export { loadNluLexicons, parseNluLexicon, type NluLexicons } from './load.js';
export { EMERGENCY_KINDS, nluLexiconSchema, type EmergencyKind, type NluLexicon } from './lexicon-schema.js';

export interface Nlu {
  understand(text: string, ctx: NluContext): NluResult;
  detectLanguage(text: string): Locale | null;
}

export function createNlu(clinic: Clinic, lexicons: NluLexicons): Nlu {
  const model = buildModel(clinic, lexicons);
  return {
    understand: (text, ctx) => understandWith(model, text, ctx),
    detectLanguage: (text) => detectLanguageWith(model, text),
  };
}
