/** src/db/queries — escalations to staff. */
import type { ChannelName } from '../../core/messages.js';
import type {
  Escalation,
  EscalationRepository,
  EscalationStatus,
  Urgency,
} from '../../core/ports/records.js';
import { isUuid, type QueryScope } from './scope.js';

interface EscalationRow {
  id: string;
  patient_id: string;
  channel: ChannelName;
  conversation_id: string;
  urgency: Urgency;
  reason: string;
  status: EscalationStatus;
  created_at: Date;
  claimed_by: string | null;
  claimed_at: Date | null;
  resolved_at: Date | null;
}

const COLUMNS = 'id, patient_id, channel, conversation_id, urgency, reason, status, created_at, claimed_by, claimed_at, resolved_at';

function toEscalation(row: EscalationRow): Escalation {
  return {
    id: row.id,
    patientId: row.patient_id,
    channel: row.channel,
    conversationId: row.conversation_id,
    urgency: row.urgency,
    reason: row.reason,
    status: row.status,
    createdAt: row.created_at,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    resolvedAt: row.resolved_at,
  };
}

export function escalationRepository(scope: QueryScope): EscalationRepository {
  return {
    async create(input) {
      const [row] = await scope.sql.query<EscalationRow>(
        `insert into escalations (patient_id, channel, conversation_id, urgency, reason)
         values ($1, $2, $3, $4, $5)
         returning ${COLUMNS}`,
        [input.patientId, input.channel, input.conversationId, input.urgency, input.reason],
      );
      if (!row) throw new Error('insert into escalations returned no row');
      return toEscalation(row);
    },

    /** The newest escalation of the conversation that is not resolved (open or claimed). */
    async findOpenForConversation(channel, conversationId) {
      const rows = await scope.sql.query<EscalationRow>(
        `select ${COLUMNS}
           from escalations
          where channel = $1 and conversation_id = $2 and status <> 'resolved'
          order by created_at desc, id
          limit 1`,
        [channel, conversationId],
      );
      const row = rows[0];
      return row ? toEscalation(row) : null;
    },

    async findById(escalationId) {
      if (!isUuid(escalationId)) return null;
      const [row] = await scope.sql.query<EscalationRow>(`select ${COLUMNS} from escalations where id = $1`, [escalationId]);
      return row ? toEscalation(row) : null;
    },

    /** Raises the urgency (and records the new reason); never lowers it. */
    async raiseUrgency(escalationId, urgency, reason) {
      if (!isUuid(escalationId)) return;
      await scope.sql.query(
        `update escalations
            set urgency = $2::text, reason = $3
          where id = $1
            and array_position(array['low','medium','high','urgent'], $2::text)
              > array_position(array['low','medium','high','urgent'], urgency)`,
        [escalationId, urgency, reason],
      );
    },

    /**
     * claimed: stamps claimed_at (kept from the first claim); resolved: stamps resolved_at;
     * open (raised again): clears the claim and resolution. An unknown id changes nothing.
     */
    async setStatus(escalationId, status) {
      if (!isUuid(escalationId)) return;
      await scope.sql.query(
        `update escalations
            set status      = $2::text,
                claimed_at  = case $2::text when 'open' then null
                                      when 'claimed' then coalesce(claimed_at, now())
                                      else claimed_at end,
                claimed_by  = case when $2::text = 'open' then null else claimed_by end,
                resolved_at = case when $2::text = 'resolved' then now() else null end
          where id = $1`,
        [escalationId, status],
      );
    },
  };
}
