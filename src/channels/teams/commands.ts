/**
 * What the bot does in team channels and group chats, where patients do not talk to it: an
 * admin of the staff console mentions it with "alerts here" (or "alerts off") to choose the
 * channel that gets staff alerts; "alerts" says where they go; anything else gets the help.
 * Admin means: the member's Teams email is an enabled admin account of the staff console.
 */
import type { Locale } from '../../core/locale.js';
import type { StaffRepository } from '../../core/ports/records.js';
import type { TeamsRepository } from '../../core/ports/teams.js';
import type { Logger } from '../../observability/logger.js';
import { scopeOf, type InboundActivity } from './activity.js';
import type { TeamsTurn } from './bot-framework.js';
import { plainTextOf } from './text.js';
import type { TeamsTexts } from './texts.js';

export interface ChannelCommandDeps {
  teams: TeamsRepository;
  staff: StaffRepository;
  texts: TeamsTexts;
  /** Called once alerts point at a channel, to post cards for escalations already waiting. */
  onAlertChannelSet(): Promise<void>;
  log: Logger;
}

type Admin = { admin: true; email: string } | { admin: false; reason: 'not_admin' | 'member_unknown' };

/** "Alerts  Here!" → "alerts here". */
export function commandOf(text: string): string {
  return plainTextOf(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function createChannelCommands(deps: ChannelCommandDeps) {
  const { texts, log } = deps;

  async function adminOf(turn: TeamsTurn, activity: InboundActivity): Promise<Admin> {
    const userId = activity.from?.id;
    if (!userId) return { admin: false, reason: 'not_admin' };
    let email: string | null;
    try {
      email = await turn.memberEmail(userId);
    } catch (error) {
      log.warn({ err: error }, 'teams: member not looked up');
      return { admin: false, reason: 'member_unknown' };
    }
    const found = email ? await deps.staff.findCredentials(email.trim().toLowerCase()) : null;
    if (found && found.user.role === 'admin' && found.user.disabledAt === null) return { admin: true, email: found.user.email };
    return { admin: false, reason: 'not_admin' };
  }

  async function say(turn: TeamsTurn, locale: Locale, key: string, params?: Record<string, string>): Promise<void> {
    await turn.send([{ type: 'message', text: texts.t(locale, key, params), textFormat: 'plain', locale }]);
  }

  async function alertsHere(turn: TeamsTurn, activity: InboundActivity, locale: Locale): Promise<void> {
    const channel = activity.channelData?.channel;
    if (scopeOf(activity) !== 'channel' || !channel) return say(turn, locale, 'channel.only_in_channel');
    const who = await adminOf(turn, activity);
    if (!who.admin) return say(turn, locale, `channel.${who.reason}`);
    const team = activity.channelData?.team;
    await deps.teams.setAlertChannel({
      reference: turn.channelReference(channel.id),
      teamId: team?.id ?? null,
      teamName: team?.name ?? null,
      // The General channel comes without a name.
      channelName: channel.name ?? null,
      setBy: who.email,
    });
    log.info('teams: staff alerts now go to a team channel');
    await say(turn, locale, 'channel.alerts_set');
    await deps.onAlertChannelSet();
  }

  async function alertsOff(turn: TeamsTurn, activity: InboundActivity, locale: Locale): Promise<void> {
    const who = await adminOf(turn, activity);
    if (!who.admin) return say(turn, locale, `channel.${who.reason}`);
    await deps.teams.clearAlertChannel();
    log.info('teams: staff alerts in Teams turned off');
    await say(turn, locale, 'channel.alerts_off');
  }

  async function alertsStatus(turn: TeamsTurn, locale: Locale): Promise<void> {
    const current = await deps.teams.findAlertChannel();
    if (!current) return say(turn, locale, 'channel.alerts_none');
    if (current.teamName) {
      return say(turn, locale, 'channel.alerts_where', { channel: current.channelName ?? 'General', team: current.teamName });
    }
    return say(turn, locale, 'channel.alerts_where_unnamed', { setBy: current.setBy });
  }

  return {
    async handle(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
      const locale = texts.localeOf(activity.locale);
      switch (commandOf(turn.textWithoutBotMention())) {
        case 'alerts here':
          return alertsHere(turn, activity, locale);
        case 'alerts off':
          return alertsOff(turn, activity, locale);
        case 'alerts':
          return alertsStatus(turn, locale);
        default:
          return say(turn, locale, scopeOf(activity) === 'channel' ? 'channel.help' : 'group_chat');
      }
    },
  };
}
