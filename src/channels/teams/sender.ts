/**
 * The Teams OutboundSender: a staff reply, a follow-up notice or a turn's replies, sent into the
 * conversation through its stored reference (continueConversationAsync), from any process.
 * Each message with a delivery id is sent once however often delivery is attempted: the id is
 * claimed in the database and each reply sent is recorded, so a retry resumes after them.
 */
import { AppError, PermanentDeliveryError } from '../../core/errors.js';
import type { Locale } from '../../core/locale.js';
import type { OutboundSender, OutgoingMessage } from '../../core/ports/live-events.js';
import type { TeamsReference, TeamsRepository } from '../../core/ports/teams.js';
import type { Logger } from '../../observability/logger.js';
import type { OutgoingActivity } from './activity.js';
import { ConnectorError, type BotConnection } from './bot-framework.js';
import type { TeamsMetrics } from './metrics.js';
import { replyActivity, showsCards, staffReplyActivity } from './replies.js';
import { withConnectorRetries, type RetryPolicy } from './retry.js';

/**
 * A claimed delivery whose sender went silent this long may be taken over (it crashed): the
 * outbox's own attempt lease, so its next attempt finds the claim free. Each reply sent and
 * each retry renews it.
 */
const DELIVERY_LEASE_SECONDS = 60;

/** The connector refused for good: the conversation is gone, the bot was blocked or removed, the message is invalid. */
const PERMANENT_STATUSES = new Set([400, 403, 404]);

/** Delivery failed after the retries; trying again later may work. No cause attached: connector errors carry request details. */
export class TeamsDeliveryError extends AppError {
  constructor(message: string) {
    super('teams_delivery_failed', message);
  }
}

export interface TeamsSenderDeps {
  connection: Pick<BotConnection, 'send'>;
  teams: TeamsRepository;
  retry: RetryPolicy;
  metrics: TeamsMetrics;
  /** "Ana · Clinic staff" in the reply's language. */
  staffHeader(name: string, locale: Locale): string;
  log: Logger;
}

/** Sends with the connector retry policy; every retry is counted and logged (without ids). */
export function retryingSend(deps: Pick<TeamsSenderDeps, 'connection' | 'retry' | 'metrics' | 'log'>) {
  return (reference: TeamsReference, activity: OutgoingActivity, asReply: boolean, beforeRetry?: () => Promise<void>): Promise<string[]> =>
    withConnectorRetries(() => deps.connection.send(reference, [activity], { asReply }), deps.retry, {
      onRetry: async ({ status, attempt, delayMs }) => {
        deps.metrics.retry(status);
        deps.log.warn({ status, attempt, delayMs }, 'teams: the connector asked to slow down; retrying');
        await beforeRetry?.();
      },
    });
}

/** What the caller of send() gets when delivery failed: permanent (never retried) or not. */
export function deliveryFailure(error: unknown): PermanentDeliveryError | TeamsDeliveryError {
  if (error instanceof PermanentDeliveryError) return error;
  if (error instanceof ConnectorError && error.status !== undefined && PERMANENT_STATUSES.has(error.status)) {
    return new PermanentDeliveryError(`Teams refused the message for good (HTTP ${error.status})`);
  }
  const status = error instanceof ConnectorError ? error.status : undefined;
  return new TeamsDeliveryError(status ? `Teams did not take the message (HTTP ${status})` : 'Teams could not be reached');
}

function channelIdOf(reference: TeamsReference): string | undefined {
  return typeof reference.channelId === 'string' ? reference.channelId : undefined;
}

export function createTeamsSender(deps: TeamsSenderDeps): OutboundSender {
  const { teams, metrics, log } = deps;
  const post = retryingSend(deps);

  function activitiesFor(message: OutgoingMessage, reference: TeamsReference): OutgoingActivity[] {
    const cards = showsCards(channelIdOf(reference));
    return message.replies.map((reply) =>
      message.author === 'staff' && message.authorName
        ? staffReplyActivity(reply, deps.staffHeader(message.authorName, reply.locale))
        : replyActivity(reply, cards),
    );
  }

  return {
    async send(conversation, message) {
      const kind = message.author;
      const stored = await teams.findConversation(conversation.conversationId);
      if (!stored) {
        metrics.delivery(kind, 'permanent_failure');
        log.error({ author: kind }, 'teams: no reference for this conversation (the app was removed); message not delivered');
        throw new PermanentDeliveryError('No Teams conversation reference: the app was removed, or the person never wrote');
      }
      const activities = activitiesFor(message, stored.reference);
      const { deliveryId } = message;
      const claim = deliveryId ? await teams.claimDelivery(deliveryId, conversation.conversationId, DELIVERY_LEASE_SECONDS) : { claimed: true as const, sentCount: 0 };
      if (!claim.claimed) {
        metrics.delivery(kind, 'duplicate');
        log.info({ author: kind, status: claim.status }, 'teams: this message was sent already (or is being sent); not sent again');
        if (claim.status === 'sent') return;
        // Another attempt holds it. Should that one die, a retry after its lease sends it: a
        // caller that retries (the outbox) must not take this for "delivered".
        throw new TeamsDeliveryError('This message is being sent by another attempt; try again later');
      }
      try {
        for (let index = claim.sentCount; index < activities.length; index += 1) {
          const activity = activities[index];
          const renewLease = deliveryId ? () => teams.recordDeliveryProgress(deliveryId, index) : undefined;
          if (activity) await post(stored.reference, activity, true, renewLease);
          if (deliveryId) await teams.recordDeliveryProgress(deliveryId, index + 1);
        }
        if (deliveryId) await teams.finishDelivery(deliveryId, 'sent');
        metrics.delivery(kind, 'sent');
      } catch (error) {
        if (deliveryId) {
          await teams.finishDelivery(deliveryId, 'failed').catch((cause: unknown) => log.error({ err: cause }, 'teams: delivery failure not recorded'));
        }
        const failure = deliveryFailure(error);
        metrics.delivery(kind, failure instanceof PermanentDeliveryError ? 'permanent_failure' : 'failed');
        log.error({ author: kind, code: failure.code, reason: failure.message }, 'teams: message not delivered');
        throw failure;
      }
    },
  };
}
