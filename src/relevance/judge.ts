/**
 * SPEC §3: is the new message about the pending action? The fast checks in relevance.ts come
 * first; a judge (a language model, provided by src/agents/) is asked only what they leave
 * undecided, and only when there is a pending action to protect.
 */
import type { Locale } from '../core/locale.js';
import type { NluResult } from '../core/nlu.js';
import type { PendingAction } from '../../statecharts/conversation.js';
import { checkRelevance, type RelevanceVerdict } from './relevance.js';

export type JudgedVerdict = Exclude<RelevanceVerdict, 'undecided'>;

export interface RelevanceJudge {
  /** Throws when it cannot judge (model down, slow, nonsense); the caller falls back. */
  judge(input: { text: string; pending: PendingAction; locale: Locale }): Promise<JudgedVerdict>;
}

export interface RelevanceDecision {
  /** `undecided` only when the fast checks could not tell and no judge was available. */
  verdict: RelevanceVerdict;
  /** Whether the judge was asked (one model call). */
  judged: boolean;
}

export async function decideRelevance(
  input: { text: string; nlu: NluResult; pending: PendingAction | null; locale: Locale },
  judge: RelevanceJudge | null,
): Promise<RelevanceDecision> {
  const fast = checkRelevance(input.pending, input.nlu);
  if (fast !== 'undecided' || !input.pending || !judge) return { verdict: fast, judged: false };
  return { verdict: await judge.judge({ text: input.text, pending: input.pending, locale: input.locale }), judged: true };
}
