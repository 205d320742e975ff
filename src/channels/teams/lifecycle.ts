/**
 * The bot added to or removed from a chat or team, and what happens to messages after they
 * were sent: a personal install greets the person once in their language; a team install
 * says how to get staff alerts; removal forgets the stored references; an edited message gets
 * a short notice (only new messages are read); deletes and reactions change nothing.
 */
import type { PatientRepository } from '../../core/ports/records.js';
import type { TeamsRepository } from '../../core/ports/teams.js';
import type { Logger } from '../../observability/logger.js';
import { includesBot, personId, scopeOf, type InboundActivity } from './activity.js';
import type { TeamsTurn } from './bot-framework.js';
import { replyActivity, showsCards } from './replies.js';
import type { TeamsTexts } from './texts.js';

export interface LifecycleDeps {
  teams: TeamsRepository;
  patients: PatientRepository;
  texts: TeamsTexts;
  log: Logger;
}

export function createLifecycle(deps: LifecycleDeps) {
  const { teams, texts, log } = deps;

  async function installedForPerson(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
    const person = personId(activity);
    if (!person) return;
    // The patient exists from here on, so `patient:erase` finds (and erases) this reference too.
    await deps.patients.findOrCreateByIdentity({ channel: 'teams', externalId: person }, { displayName: activity.from?.name ?? null });
    await teams.saveConversation({ conversationId: activity.conversation.id, kind: 'personal', userAadId: person, teamId: null, reference: turn.reference() });
    // Teams sends both conversationUpdate and installationUpdate for one install: greet once.
    if (!(await teams.markGreeted(activity.conversation.id))) return;
    const locale = texts.localeOf(activity.locale);
    await turn.send([replyActivity(texts.bot(locale, 'greeting'), showsCards(activity.channelId))]);
  }

  async function installedInTeam(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
    const team = activity.channelData?.team;
    await teams.saveConversation({
      conversationId: activity.conversation.id,
      kind: 'channel',
      userAadId: null,
      teamId: team?.id ?? null,
      reference: turn.reference(),
    });
    if (!(await teams.markGreeted(activity.conversation.id))) return;
    const locale = texts.localeOf(activity.locale);
    const bot = activity.recipient?.name ?? texts.clinicName(locale);
    await turn.send([{ type: 'message', text: texts.t(locale, 'channel.welcome', { clinic: texts.clinicName(locale), bot }), textFormat: 'plain', locale }]);
  }

  async function added(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
    const scope = scopeOf(activity);
    if (scope === 'personal') return installedForPerson(turn, activity);
    if (scope === 'channel') return installedInTeam(turn, activity);
    const locale = texts.localeOf(activity.locale);
    await turn.send([{ type: 'message', text: texts.t(locale, 'group_chat'), textFormat: 'plain', locale }]);
  }

  async function removed(activity: InboundActivity): Promise<void> {
    const teamId = activity.channelData?.team?.id;
    const forgotten = teamId ? await teams.forgetTeam(teamId) : await teams.forgetConversation(activity.conversation.id);
    log.info({ forgotten, scope: scopeOf(activity) }, 'teams: the app was removed; references forgotten');
  }

  return {
    async conversationUpdate(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
      if (includesBot(activity, activity.membersRemoved)) return removed(activity);
      if (includesBot(activity, activity.membersAdded)) return added(turn, activity);
    },

    async installationUpdate(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
      if (activity.action === 'remove') return removed(activity);
      if (activity.action === 'add' || activity.action === 'add-upgrade') return added(turn, activity);
    },

    async messageUpdate(turn: TeamsTurn, activity: InboundActivity): Promise<void> {
      if (scopeOf(activity) !== 'personal') return;
      const locale = texts.localeOf(activity.locale);
      await turn.send([{ type: 'message', text: texts.t(locale, 'edited'), textFormat: 'plain', locale }]);
    },
  };
}
