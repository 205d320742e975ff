import type { Urgency } from './ports/records.js';

/** Least to most urgent; the one ordering the chart, the queue and the follow-ups share. */
export const URGENCY_LEVELS = ['low', 'medium', 'high', 'urgent'] as const satisfies readonly Urgency[];

/** 0 for low … 3 for urgent. */
export function urgencyRank(urgency: Urgency): number {
  return URGENCY_LEVELS.indexOf(urgency);
}

/** One level up, capped at urgent. */
export function oneLevelUp(urgency: Urgency): Urgency {
  return URGENCY_LEVELS[Math.min(urgencyRank(urgency) + 1, URGENCY_LEVELS.length - 1)] ?? 'urgent';
}
