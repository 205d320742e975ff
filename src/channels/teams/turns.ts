/**
 * A patient's message in a personal chat: to the pipeline as channel `teams` with its replies
 * going out through the outbox (recorded in the turn's own transaction under the message's
 * delivery id, so a redelivered activity is answered once), a typing indicator while the turn
 * runs, and a turn budget: when the answer takes longer, Teams gets its 200 at once and the
 * replies follow proactively. With `deliveryMode: expectReplies` the caller wants the replies in
 * the HTTP answer instead.
 */
import type { InboundMessage } from '../../core/messages.js';
import { pushAnswer } from '../outbound.js';
import type { Assistant } from '../../core/ports/assistant.js';
import type { OutboundSender } from '../../core/ports/live-events.js';
import type { TeamsReference, TeamsRepository } from '../../core/ports/teams.js';
import type { Logger } from '../../observability/logger.js';
import type { InboundActivity, OutgoingActivity } from './activity.js';
import { settlesWithin, type BackgroundWork } from './background.js';
import type { BotConnection, TeamsTurn } from './bot-framework.js';
import type { TeamsMetrics } from './metrics.js';
import { replyActivity, showsCards } from './replies.js';

/** Teams shows a typing indicator for a few seconds; renew it while the turn runs. */
const TYPING_INTERVAL_MS = 3_000;

export interface MessageTurnDeps {
  assistant: Assistant;
  outbound: OutboundSender;
  teams: TeamsRepository;
  connection: Pick<BotConnection, 'send'>;
  background: BackgroundWork;
  metrics: TeamsMetrics;
  turnBudgetMs: number;
  log: Logger;
}

export function createMessageTurns(deps: MessageTurnDeps) {
  const { assistant, log } = deps;

  /** Typing now and every few seconds until stopped; in the turn while it is open, proactively after. */
  function keepTyping(turn: TeamsTurn, reference: TeamsReference): { stop(): void } {
    let stopped = false;
    const typing: OutgoingActivity = { type: 'typing' };
    const tick = async (): Promise<void> => {
      if (stopped) return;
      try {
        if (turn.isOpen()) await turn.send([typing]);
        else await deps.connection.send(reference, [typing], { asReply: true });
      } catch (error) {
        log.debug({ err: error }, 'teams: typing indicator not shown');
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), TYPING_INTERVAL_MS);
    return {
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  async function answerInTheBody(turn: TeamsTurn, activity: InboundActivity, message: InboundMessage): Promise<void> {
    const { replies } = await assistant.answer(message);
    const cards = showsCards(activity.channelId);
    if (replies.length > 0) await turn.send(replies.map((reply) => replyActivity(reply, cards)));
  }

  async function answerWithinBudget(turn: TeamsTurn, message: InboundMessage, reference: TeamsReference): Promise<void> {
    const conversation = { channel: 'teams' as const, conversationId: message.conversationId };
    const typing = keepTyping(turn, reference);
    const work = deps.background.run(async () => {
      try {
        await pushAnswer(deps.outbound, conversation, message.messageId, await assistant.answer({ ...message, replyVia: 'outbox' }));
      } finally {
        typing.stop();
      }
    });
    if (!(await settlesWithin(work, deps.turnBudgetMs))) {
      deps.metrics.overBudget();
      log.info({ budgetMs: deps.turnBudgetMs }, 'teams: turn passed its budget; answered now, the replies follow proactively');
    }
  }

  return {
    async handle(turn: TeamsTurn, activity: InboundActivity, message: InboundMessage): Promise<void> {
      const reference = turn.reference();
      // Saved before answering: the replies (and any staff reply later) go out through it.
      await deps.teams.saveConversation({
        conversationId: message.conversationId,
        kind: 'personal',
        userAadId: message.senderId,
        teamId: null,
        reference,
      });
      if (turn.expectsReplies) return answerInTheBody(turn, activity, message);
      return answerWithinBudget(turn, message, reference);
    },
  };
}
