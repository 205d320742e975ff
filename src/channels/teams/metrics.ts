/** Prometheus counters of the Teams channel, on the runtime's registry (served at GET /metrics). */
import { Counter, type Registry } from 'prom-client';

/** What was sent: a turn's or a follow-up's bot replies, a staff reply, a staff alert card. */
export type DeliveryKind = 'bot' | 'staff' | 'alert';
/** `duplicate`: already sent (or being sent) under the same delivery id, so not sent again. */
export type DeliveryOutcome = 'sent' | 'duplicate' | 'failed' | 'permanent_failure';

export interface TeamsMetrics {
  activity(type: string): void;
  delivery(kind: DeliveryKind, outcome: DeliveryOutcome): void;
  retry(status: number): void;
  /** A turn that passed TEAMS_TURN_BUDGET_MS: answered 200 at once, replies sent proactively. */
  overBudget(): void;
}

const KNOWN_ACTIVITY_TYPES = new Set([
  'message',
  'conversationUpdate',
  'installationUpdate',
  'messageUpdate',
  'messageDelete',
  'messageReaction',
  'typing',
  'invoke',
  'event',
]);

export function createTeamsMetrics(registry: Registry): TeamsMetrics {
  const registers = [registry];
  const activities = new Counter({
    name: 'clinic_teams_activities_total',
    help: 'Activities received from Teams, by type.',
    labelNames: ['type'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'clinic_teams_deliveries_total',
    help: 'Messages sent to Teams outside the HTTP turn, by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'clinic_teams_connector_retries_total',
    help: 'Bot Connector calls tried again after 429/412/502/504, by status.',
    labelNames: ['status'] as const,
    registers,
  });
  const overBudget = new Counter({
    name: 'clinic_teams_turns_over_budget_total',
    help: 'Teams turns answered before their replies were ready (replies sent proactively).',
    registers,
  });
  return {
    // An unknown type from a caller is counted as "other": labels stay bounded.
    activity: (type) => activities.inc({ type: KNOWN_ACTIVITY_TYPES.has(type) ? type : 'other' }),
    delivery: (kind, outcome) => deliveries.inc({ kind, outcome }),
    retry: (status) => retries.inc({ status: String(status) }),
    overBudget: () => overBudget.inc(),
  };
}
