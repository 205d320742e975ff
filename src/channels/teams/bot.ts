/**
 * Every activity Teams posts to /api/messages, dispatched by type: a patient's message in a
 * personal chat becomes a turn; messages in channels and group chats are staff commands;
 * installs, removals and edits go to the lifecycle; the rest (deletes, reactions, typing) is
 * counted and left alone.
 */
import type { Logger } from '../../observability/logger.js';
import { inboundActivitySchema, scopeOf } from './activity.js';
import type { TeamsTurn } from './bot-framework.js';
import type { createChannelCommands } from './commands.js';
import { toInboundMessage } from './inbound.js';
import type { createLifecycle } from './lifecycle.js';
import type { TeamsMetrics } from './metrics.js';
import type { createMessageTurns } from './turns.js';

export interface TeamsBotDeps {
  turns: ReturnType<typeof createMessageTurns>;
  commands: ReturnType<typeof createChannelCommands>;
  lifecycle: ReturnType<typeof createLifecycle>;
  metrics: TeamsMetrics;
  log: Logger;
  now: () => Date;
}

export function createTeamsBot(deps: TeamsBotDeps): (turn: TeamsTurn) => Promise<void> {
  const { log } = deps;
  return async (turn) => {
    const parsed = inboundActivitySchema.safeParse(turn.activity);
    if (!parsed.success) {
      deps.metrics.activity('other');
      log.warn({ reason: parsed.error.issues[0]?.message, path: parsed.error.issues[0]?.path.join('.') }, 'teams: activity not understood; ignored');
      return;
    }
    const activity = parsed.data;
    deps.metrics.activity(activity.type);
    switch (activity.type) {
      case 'message': {
        // Never answer another bot (or ourselves).
        if (activity.from?.role === 'bot') return;
        if (scopeOf(activity) !== 'personal') return deps.commands.handle(turn, activity);
        const message = toInboundMessage(activity, turn.textWithoutBotMention(), deps.now());
        if (!message) {
          log.warn('teams: message without an id or a sender; ignored');
          return;
        }
        // Redacted unless LOG_REDACT=false (src/observability/logger.ts).
        log.debug({ conversationId: message.conversationId, senderId: message.senderId, text: message.text }, 'teams: message');
        return deps.turns.handle(turn, activity, message);
      }
      case 'conversationUpdate':
        return deps.lifecycle.conversationUpdate(turn, activity);
      case 'installationUpdate':
        return deps.lifecycle.installationUpdate(turn, activity);
      case 'messageUpdate':
        return deps.lifecycle.messageUpdate(turn, activity);
      default:
        log.debug({ type: activity.type }, 'teams: activity needs nothing from the bot');
    }
  };
}
