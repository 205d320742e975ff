/** src/db/queries — what the Teams channel keeps: conversation references, deliveries, staff alerts. */
import type {
  DeliveryClaim,
  TeamsAlertCard,
  TeamsAlertChannel,
  TeamsConversation,
  TeamsConversationKind,
  TeamsReference,
  TeamsRepository,
} from '../../core/ports/teams.js';
import { isUuid, type QueryScope } from './scope.js';

interface ConversationRow {
  conversation_id: string;
  kind: TeamsConversationKind;
  user_aad_id: string | null;
  team_id: string | null;
  reference: TeamsReference;
  greeted_at: Date | null;
}

interface AlertChannelRow {
  reference: TeamsReference;
  team_id: string | null;
  team_name: string | null;
  channel_name: string | null;
  set_by: string;
  set_at: Date;
}

interface AlertCardRow {
  escalation_id: string;
  reference: TeamsReference;
  activity_id: string | null;
  shown_state: string;
}

function toConversation(row: ConversationRow): TeamsConversation {
  return {
    conversationId: row.conversation_id,
    kind: row.kind,
    userAadId: row.user_aad_id,
    teamId: row.team_id,
    reference: row.reference,
    greetedAt: row.greeted_at,
  };
}

export function teamsRepository(scope: QueryScope): TeamsRepository {
  const { sql } = scope;
  return {
    async saveConversation(conversation) {
      await sql.query(
        `insert into teams_conversations (conversation_id, kind, user_aad_id, team_id, reference)
         values ($1, $2, $3, $4, $5::text::jsonb)
         on conflict (conversation_id) do update
           set reference = excluded.reference,
               user_aad_id = coalesce(excluded.user_aad_id, teams_conversations.user_aad_id),
               team_id = coalesce(excluded.team_id, teams_conversations.team_id),
               updated_at = now()`,
        [conversation.conversationId, conversation.kind, conversation.userAadId, conversation.teamId, JSON.stringify(conversation.reference)],
      );
    },

    async findConversation(conversationId) {
      const rows = await sql.query<ConversationRow>(
        `select conversation_id, kind, user_aad_id, team_id, reference, greeted_at
           from teams_conversations where conversation_id = $1`,
        [conversationId],
      );
      return rows[0] ? toConversation(rows[0]) : null;
    },

    async markGreeted(conversationId) {
      const rows = await sql.query(
        `update teams_conversations set greeted_at = now()
          where conversation_id = $1 and greeted_at is null
          returning 1`,
        [conversationId],
      );
      return rows.length > 0;
    },

    async forgetConversation(conversationId) {
      const rows = await sql.query('delete from teams_conversations where conversation_id = $1 returning 1', [conversationId]);
      return rows.length;
    },

    async forgetTeam(teamId) {
      return scope.atomic(async (tx) => {
        await tx.query(`delete from teams_alert_channel where team_id = $1`, [teamId]);
        const rows = await tx.query('delete from teams_conversations where team_id = $1 returning 1', [teamId]);
        return rows.length;
      });
    },

    async claimDelivery(deliveryId, conversationId, leaseSeconds): Promise<DeliveryClaim> {
      const claimed = await sql.query<{ sent_count: number }>(
        `insert into teams_deliveries as d (delivery_id, conversation_id, status)
         values ($1, $2, 'sending')
         on conflict (delivery_id) do update
           set status = 'sending', attempts = d.attempts + 1, updated_at = now()
           where d.status = 'failed'
              or (d.status = 'sending' and d.updated_at < now() - make_interval(secs => $3::int))
         returning sent_count`,
        [deliveryId, conversationId, leaseSeconds],
      );
      if (claimed[0]) return { claimed: true, sentCount: claimed[0].sent_count };
      const [current] = await sql.query<{ status: 'sent' | 'sending' | 'failed' }>('select status from teams_deliveries where delivery_id = $1', [
        deliveryId,
      ]);
      // 'failed' here means it failed between the two statements; whoever failed it will not send it now either.
      return { claimed: false, status: current?.status === 'sent' ? 'sent' : 'sending' };
    },

    async recordDeliveryProgress(deliveryId, sentCount) {
      await sql.query('update teams_deliveries set sent_count = $2, updated_at = now() where delivery_id = $1', [deliveryId, sentCount]);
    },

    async finishDelivery(deliveryId, status) {
      await sql.query('update teams_deliveries set status = $2, updated_at = now() where delivery_id = $1', [deliveryId, status]);
    },

    async purgeDeliveries(cutoff) {
      const rows = await sql.query('delete from teams_deliveries where updated_at < $1::timestamptz returning 1', [cutoff]);
      return rows.length;
    },

    async setAlertChannel(channel) {
      await sql.query(
        `insert into teams_alert_channel (singleton, reference, team_id, team_name, channel_name, set_by)
         values (true, $1::text::jsonb, $5, $2, $3, $4)
         on conflict (singleton) do update
           set reference = excluded.reference, team_id = excluded.team_id, team_name = excluded.team_name,
               channel_name = excluded.channel_name, set_by = excluded.set_by, set_at = now()`,
        [JSON.stringify(channel.reference), channel.teamName, channel.channelName, channel.setBy, channel.teamId],
      );
    },

    async findAlertChannel(): Promise<TeamsAlertChannel | null> {
      const [row] = await sql.query<AlertChannelRow>('select reference, team_id, team_name, channel_name, set_by, set_at from teams_alert_channel');
      if (!row) return null;
      return { reference: row.reference, teamId: row.team_id, teamName: row.team_name, channelName: row.channel_name, setBy: row.set_by, setAt: row.set_at };
    },

    async clearAlertChannel() {
      const rows = await sql.query('delete from teams_alert_channel returning 1');
      return rows.length > 0;
    },

    async claimAlertCard(escalationId, reference, shownState, staleSeconds) {
      if (!isUuid(escalationId)) return false;
      const rows = await sql.query(
        `insert into teams_alert_cards as c (escalation_id, reference, shown_state)
         values ($1, $2::text::jsonb, $3)
         on conflict (escalation_id) do update
           set reference = excluded.reference, shown_state = excluded.shown_state, updated_at = now()
           where c.activity_id is null and c.updated_at < now() - make_interval(secs => $4::int)
         returning 1`,
        [escalationId, JSON.stringify(reference), shownState, staleSeconds],
      );
      return rows.length > 0;
    },

    async alertCardPosted(escalationId, activityId) {
      await sql.query('update teams_alert_cards set activity_id = $2, updated_at = now() where escalation_id = $1', [escalationId, activityId]);
    },

    async dropAlertCard(escalationId) {
      await sql.query('delete from teams_alert_cards where escalation_id = $1 and activity_id is null', [escalationId]);
    },

    async findAlertCard(escalationId): Promise<TeamsAlertCard | null> {
      if (!isUuid(escalationId)) return null;
      const [row] = await sql.query<AlertCardRow>(
        'select escalation_id, reference, activity_id, shown_state from teams_alert_cards where escalation_id = $1',
        [escalationId],
      );
      if (!row) return null;
      return { escalationId: row.escalation_id, reference: row.reference, activityId: row.activity_id, shownState: row.shown_state };
    },

    async swapAlertCardState(escalationId, from, to) {
      const rows = await sql.query(
        `update teams_alert_cards set shown_state = $3, updated_at = now()
          where escalation_id = $1 and shown_state = $2 and activity_id is not null
          returning 1`,
        [escalationId, from, to],
      );
      return rows.length > 0;
    },
  };
}
