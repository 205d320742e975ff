/**
 * Staff alerts in the clinic's Teams channel: a new urgent or high escalation posts a card
 * there, and the card is updated when it is claimed, resolved or raised. Driven by the
 * `escalation.changed` live events every process receives; the database decides which process
 * posts or updates a card (a claim on the card's row), so several processes post once.
 */
import type { ChannelName } from '../../core/messages.js';
import type { LiveEvents } from '../../core/ports/live-events.js';
import type { Escalation, Records, Urgency } from '../../core/ports/records.js';
import type { TeamsAlertCard, TeamsAlertChannel } from '../../core/ports/teams.js';
import type { Logger } from '../../observability/logger.js';
import { KeyedQueue } from '../../pipeline/keyed-queue.js';
import { alertCardActivity, shownState, type AlertCardOptions, type AlertFacts } from './alert-card.js';
import { createBackgroundWork } from './background.js';
import type { BotConnection } from './bot-framework.js';
import type { TeamsMetrics } from './metrics.js';
import { withConnectorRetries, type RetryPolicy } from './retry.js';
import { deliveryFailure } from './sender.js';

const ALERTED: ReadonlySet<Urgency> = new Set(['urgent', 'high']);

/** A card whose post was claimed this long ago and never finished may be posted again (its process died). */
const ABANDONED_POST_SECONDS = 120;

export interface StaffAlertsDeps {
  records: Records;
  liveEvents: LiveEvents;
  connection: Pick<BotConnection, 'send' | 'update'>;
  card: Omit<AlertCardOptions, 'consoleUrl'>;
  /** PUBLIC_URL: the cards link to the staff console under it. */
  publicUrl: string | undefined;
  retry: RetryPolicy;
  metrics: TeamsMetrics;
  log: Logger;
  now: () => Date;
}

export interface StaffAlerts {
  /** Brings one escalation's card up to date (posts it, updates it, or does nothing). */
  sync(escalationId: string): Promise<void>;
  /** Posts cards for the urgent and high escalations already waiting (after the channel was set). */
  catchUp(): Promise<void>;
  /** Stops listening and waits for the work in flight. */
  close(): Promise<void>;
}

export function consoleLink(publicUrl: string | undefined, escalationId: string): string | null {
  if (!publicUrl) return null;
  return `${publicUrl.replace(/\/+$/, '')}/staff#${encodeURIComponent(escalationId)}`;
}

export function startStaffAlerts(deps: StaffAlertsDeps): StaffAlerts {
  const { records, metrics, log } = deps;
  const teams = records.teams;
  const queue = new KeyedQueue();
  const work = createBackgroundWork((error) => log.error({ err: error }, 'teams: staff alert not brought up to date'));
  const retrying = <T>(call: () => Promise<T>): Promise<T> =>
    withConnectorRetries(call, deps.retry, {
      onRetry: ({ status, attempt, delayMs }) => {
        metrics.retry(status);
        log.warn({ status, attempt, delayMs }, 'teams: the connector asked to slow down; retrying the staff alert');
      },
    });

  async function factsOf(escalation: Escalation): Promise<AlertFacts> {
    const [claimer, patient] = await Promise.all([
      escalation.claimedBy ? records.staff.findById(escalation.claimedBy) : Promise.resolve(null),
      records.patients.findById(escalation.patientId),
    ]);
    // As the staff queue says it: the patient's chosen language, else the one they last wrote in.
    const patientLocale = patient?.preferredLocale ?? (await lastWrittenLocale(escalation));
    return { escalation, claimedByName: claimer?.displayName ?? null, patientLocale, now: deps.now() };
  }

  async function lastWrittenLocale(escalation: Escalation) {
    const transcript = await records.transcripts.listForConversation(escalation.channel, escalation.conversationId);
    return transcript.findLast((entry) => entry.author === 'patient' && entry.locale !== null)?.locale ?? null;
  }

  function activityFor(facts: AlertFacts) {
    return alertCardActivity(facts, { ...deps.card, consoleUrl: consoleLink(deps.publicUrl, facts.escalation.id) });
  }

  function failed(error: unknown, action: string): void {
    const failure = deliveryFailure(error);
    metrics.delivery('alert', failure.code === 'delivery_permanent_failure' ? 'permanent_failure' : 'failed');
    log.error({ code: failure.code, reason: failure.message, action }, 'teams: staff alert card not sent');
  }

  async function post(channel: TeamsAlertChannel, facts: AlertFacts, state: string): Promise<void> {
    const { escalation } = facts;
    if (escalation.status !== 'open' || !ALERTED.has(escalation.urgency)) return;
    if (!(await teams.claimAlertCard(escalation.id, channel.reference, state, ABANDONED_POST_SECONDS))) return;
    try {
      const [activityId] = await retrying(() => deps.connection.send(channel.reference, [activityFor(facts)], { asReply: false }));
      if (!activityId) throw new Error('the connector gave no id for the posted card');
      await teams.alertCardPosted(escalation.id, activityId);
      metrics.delivery('alert', 'sent');
    } catch (error) {
      await teams.dropAlertCard(escalation.id);
      failed(error, 'post');
    }
  }

  async function update(card: TeamsAlertCard & { activityId: string }, facts: AlertFacts, state: string): Promise<void> {
    if (!(await teams.swapAlertCardState(card.escalationId, card.shownState, state))) return;
    try {
      await retrying(() => deps.connection.update(card.reference, card.activityId, activityFor(facts)));
      metrics.delivery('alert', 'sent');
    } catch (error) {
      // Shown as before: the next change of this escalation tries again.
      await teams.swapAlertCardState(card.escalationId, state, card.shownState);
      failed(error, 'update');
    }
  }

  async function sync(escalationId: string): Promise<void> {
    const [channel, card] = await Promise.all([teams.findAlertChannel(), teams.findAlertCard(escalationId)]);
    if (!card && !channel) return;
    const escalation = await records.escalations.findById(escalationId);
    if (!escalation) return;
    const facts = await factsOf(escalation);
    const state = shownState(facts);
    if (!card) {
      if (channel) await post(channel, facts, state);
      return;
    }
    const { activityId } = card;
    if (activityId && card.shownState !== state) await update({ ...card, activityId }, facts, state);
  }

  const queued = (escalationId: string): Promise<void> => work.run(() => queue.run(escalationId, () => sync(escalationId)));

  /**
   * An escalation is announced from inside the turn that raised it, before that turn records
   * the patient's language; the lines recorded afterwards bring the card up to date.
   */
  async function syncConversation(channel: ChannelName, conversationId: string): Promise<void> {
    const open = await records.escalations.findOpenForConversation(channel, conversationId);
    if (open) await queued(open.id);
  }

  const unsubscribe = deps.liveEvents.subscribe((event) => {
    if (event.type === 'escalation.changed') void queued(event.escalationId);
    if (event.type === 'conversation.message' && event.entry.author === 'patient') {
      void work.run(() => syncConversation(event.channel, event.conversationId));
    }
  });

  return {
    sync: queued,
    async catchUp() {
      const active = await records.escalations.listActive();
      await Promise.all(active.filter((escalation) => ALERTED.has(escalation.urgency)).map((escalation) => queued(escalation.id)));
    },
    async close() {
      unsubscribe();
      await work.drain();
    },
  };
}
