/**
 * The Microsoft Teams channel, wired: loaded by src/app.ts through a dynamic import only when
 * TEAMS_ENABLED is true, so botbuilder is never loaded otherwise. Registers POST /api/messages,
 * the Teams OutboundSender (on every process: any process can send through a stored
 * reference), staff alerts, and a daily clean-up of old delivery records.
 */
import type { FastifyInstance } from 'fastify';
import type { Clinic } from '../../config/catalog-schema.js';
import { AppError } from '../../core/errors.js';
import type { TeamsSettings } from '../../config/teams.js';
import type { Assistant } from '../../core/ports/assistant.js';
import type { LiveEvents } from '../../core/ports/live-events.js';
import type { Records } from '../../core/ports/records.js';
import type { Translator } from '../../i18n/i18n.js';
import { createRenderer } from '../../i18n/render.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { OutboundRegistry } from '../outbound.js';
import { createBackgroundWork } from './background.js';
import { createBotConnection } from './bot-framework.js';
import { createTeamsBot } from './bot.js';
import { createChannelCommands } from './commands.js';
import { createLifecycle } from './lifecycle.js';
import { createTeamsMetrics } from './metrics.js';
import type { RetryPolicy } from './retry.js';
import { createTeamsSender } from './sender.js';
import { startStaffAlerts } from './staff-alerts.js';
import { createTeamsTexts } from './texts.js';
import { createMessageTurns } from './turns.js';

export interface TeamsChannelDeps {
  settings: TeamsSettings;
  server: FastifyInstance;
  assistant: Assistant;
  outbound: OutboundRegistry;
  records: Records;
  liveEvents: LiveEvents;
  translator: Translator;
  clinic: Clinic;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
}

export interface TeamsChannel {
  /** Stops the alerts and waits for replies still being sent after their turn's answer. */
  close(): Promise<void>;
}

/** Delivery records are only needed while a message may still be redelivered or retried. */
const DELIVERY_RECORD_DAYS = 7;
const DAY_MS = 86_400_000;

/** Never longer than Teams' own patience with one request. */
const MAX_BACKOFF_MS = 30_000;

export function startTeamsChannel(deps: TeamsChannelDeps): TeamsChannel {
  const { settings, records, logger: parentLog } = deps;
  const log = parentLog.child({ channel: 'teams' });
  const metrics = createTeamsMetrics(deps.metrics.registry);
  const connection = createBotConnection(settings, log);
  const texts = createTeamsTexts({ translator: deps.translator, renderer: createRenderer(deps.translator, deps.clinic), clinic: deps.clinic });
  const retry: RetryPolicy = { maxAttempts: settings.send.maxAttempts, baseDelayMs: settings.send.retryBaseMs, maxDelayMs: MAX_BACKOFF_MS };
  // The sender has logged its own failures (with their reason); anything else is logged here.
  const background = createBackgroundWork((error) =>
    error instanceof AppError ? log.warn({ code: error.code }, 'teams: replies of a turn not delivered') : log.error({ err: error }, 'teams: replies of a turn not delivered'),
  );

  const alerts = startStaffAlerts({
    records,
    liveEvents: deps.liveEvents,
    connection,
    card: { texts, clinic: deps.clinic, minutes: (count) => deps.translator.t(texts.staffLocale, 'time.minutes', { count }) },
    publicUrl: settings.publicUrl,
    retry,
    metrics,
    log,
    now: deps.now,
  });

  deps.outbound.register(
    'teams',
    createTeamsSender({
      connection,
      teams: records.teams,
      retry,
      metrics,
      staffHeader: (name, locale) => texts.t(locale, 'staff_reply_from', { name }),
      log,
    }),
  );

  const onTurn = createTeamsBot({
    turns: createMessageTurns({
      assistant: deps.assistant,
      outbound: deps.outbound,
      teams: records.teams,
      connection,
      background,
      metrics,
      turnBudgetMs: settings.turnBudgetMs,
      log,
    }),
    commands: createChannelCommands({ teams: records.teams, staff: records.staff, texts, onAlertChannelSet: () => alerts.catchUp(), log }),
    lifecycle: createLifecycle({ teams: records.teams, patients: records.patients, texts, log }),
    metrics,
    log,
    now: deps.now,
  });
  connection.registerRoute(deps.server, onTurn);

  const purge = setInterval(() => {
    records.teams
      .purgeDeliveries(new Date(deps.now().getTime() - DELIVERY_RECORD_DAYS * DAY_MS))
      .catch((error: unknown) => log.warn({ err: error }, 'teams: old delivery records not purged'));
  }, DAY_MS);
  purge.unref();

  if (!settings.appId) log.warn('teams: MicrosoftAppId is empty, so requests to /api/messages are NOT authenticated (development and test only)');
  log.info({ authenticated: Boolean(settings.appId), appType: settings.appId ? settings.appType : null }, 'teams: channel ready at POST /api/messages');

  return {
    async close() {
      clearInterval(purge);
      await alerts.close();
      await background.drain();
    },
  };
}
