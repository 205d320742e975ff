import { describe, expect, it } from 'vitest';
import type { NluResult } from '../../../src/core/nlu.js';
import { checkRelevance } from '../../../src/relevance/relevance.js';

const pending = { kind: 'book' as const, serviceId: 'filling', doctorId: 'dr-dan', slot: null };
const nlu = (over: Partial<NluResult>): NluResult => ({
  intent: 'unknown',
  confidence: 1,
  entities: {},
  negated: { serviceIds: [], doctorIds: [] },
  language: 'ru',
  ...over,
});

describe('checkRelevance', () => {
  it('drops the pending action when its doctor or service is negated', () => {
    expect(checkRelevance(pending, nlu({ intent: 'deny', negated: { serviceIds: ['filling'], doctorIds: ['dr-dan'] } }))).toBe('drop');
    expect(checkRelevance(pending, nlu({ intent: 'deny', negated: { serviceIds: [], doctorIds: ['dr-dan'] } }))).toBe('drop');
  });

  it('calls a question about another service unrelated', () => {
    expect(checkRelevance(pending, nlu({ intent: 'ask_service', entities: { serviceId: 'veneers' } }))).toBe('unrelated');
  });

  it('treats yes/no/options and the same service as about the pending action', () => {
    expect(checkRelevance(pending, nlu({ intent: 'confirm' }))).toBe('about_pending');
    expect(checkRelevance(pending, nlu({ intent: 'book', entities: { serviceId: 'filling' } }))).toBe('about_pending');
  });

  it('negating something else does not drop it', () => {
    expect(checkRelevance(pending, nlu({ intent: 'deny', negated: { serviceIds: ['whitening'], doctorIds: [] } }))).toBe('unrelated');
  });

  it('leaves what the fast checks cannot tell undecided, and nothing pending is unrelated', () => {
    expect(checkRelevance(pending, nlu({ intent: 'unknown' }))).toBe('undecided');
    expect(checkRelevance(null, nlu({ intent: 'confirm' }))).toBe('unrelated');
  });
});
