/** src/db/queries — escalations to staff. */
import type { ChannelName } from '../../core/messages.js';
import type { Locale } from '../../core/locale.js';
import type {
  ActiveEscalation,
  Escalation,
  EscalationChange,
  EscalationRepository,
  EscalationStatus,
  Urgency,
} from '../../core/ports/records.js';
import { isUuid, type QueryScope } from './scope.js';

export interface EscalationRow {
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
  raised_at: Date;
  follow_ups: number;
}

interface ActiveEscalationRow extends EscalationRow {
  patient_display_name: string | null;
  patient_locale: Locale | null;
  claimed_by_name: string | null;
  last_message_text: string | null;
  last_message_at: Date | null;
}

const COLUMN_NAMES = [
  'id', 'patient_id', 'channel', 'conversation_id', 'urgency', 'reason', 'status', 'created_at',
  'claimed_by', 'claimed_at', 'resolved_at', 'raised_at', 'follow_ups',
];
const COLUMNS = COLUMN_NAMES.join(', ');
const E_COLUMNS = COLUMN_NAMES.map((name) => `e.${name}`).join(', ');

/** Urgencies from lowest to highest, for "never lower it" comparisons in SQL. */
const URGENCY_ORDER = "array['low','medium','high','urgent']";

export function toEscalation(row: EscalationRow): Escalation {
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
    raisedAt: row.raised_at,
    followUps: row.follow_ups,
  };
}

function toActiveEscalation(row: ActiveEscalationRow): ActiveEscalation {
  return {
    ...toEscalation(row),
    patient: { id: row.patient_id, displayName: row.patient_display_name, locale: row.patient_locale },
    claimedByName: row.claimed_by_name,
    lastPatientMessage:
      row.last_message_text !== null && row.last_message_at !== null
        ? { text: row.last_message_text, at: row.last_message_at }
        : null,
  };
}

export function escalationRepository(scope: QueryScope): EscalationRepository {
  /** Why a conditional update changed nothing: the row is missing, or in the wrong state. */
  async function unchanged(escalationId: string): Promise<EscalationChange> {
    const [row] = await scope.sql.query<EscalationRow>(`select ${COLUMNS} from escalations where id = $1`, [escalationId]);
    return row ? { outcome: 'conflict', escalation: toEscalation(row) } : { outcome: 'not_found' };
  }

  /** The conversation's escalation that is not resolved (open or claimed); the database allows one. */
  async function findActive(channel: ChannelName, conversationId: string): Promise<Escalation | null> {
    const rows = await scope.sql.query<EscalationRow>(
      `select ${COLUMNS}
         from escalations
        where channel = $1 and conversation_id = $2 and status <> 'resolved'`,
      [channel, conversationId],
    );
    const row = rows[0];
    return row ? toEscalation(row) : null;
  }

  return {
    async openOrRaise(input) {
      // One statement, so two escalations of one conversation arriving at once (two processes)
      // end as one row: the second raises the first when it is more urgent.
      const [row] = await scope.sql.query<EscalationRow & { opened: boolean }>(
        `insert into escalations as e (patient_id, channel, conversation_id, urgency, reason)
         values ($1, $2, $3, $4, $5)
         on conflict (channel, conversation_id) where status <> 'resolved' do update
            set urgency = excluded.urgency, reason = excluded.reason
          where array_position(${URGENCY_ORDER}, excluded.urgency) > array_position(${URGENCY_ORDER}, e.urgency)
         returning ${E_COLUMNS}, (xmax = 0) as opened`,
        [input.patientId, input.channel, input.conversationId, input.urgency, input.reason],
      );
      if (row) return { escalation: toEscalation(row), change: row.opened ? 'opened' : 'raised' };
      const active = await findActive(input.channel, input.conversationId);
      if (!active) throw new Error('an active escalation refused a raise and then vanished');
      return { escalation: active, change: 'unchanged' };
    },

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

    findOpenForConversation: findActive,

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
            and array_position(${URGENCY_ORDER}, $2::text) > array_position(${URGENCY_ORDER}, urgency)`,
        [escalationId, urgency, reason],
      );
    },

    /**
     * claimed: stamps claimed_at (kept from the first claim); resolved: stamps resolved_at;
     * open (raised again): clears the claim and resolution and restarts "waiting since".
     * An unknown id changes nothing.
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
                resolved_at = case when $2::text = 'resolved' then now() else null end,
                raised_at   = case when $2::text = 'open' then now() else raised_at end
          where id = $1`,
        [escalationId, status],
      );
    },

    async listActive() {
      const rows = await scope.sql.query<ActiveEscalationRow>(
        `select ${E_COLUMNS},
                p.display_name     as patient_display_name,
                coalesce(p.preferred_locale, m.locale) as patient_locale,
                s.display_name     as claimed_by_name,
                m.text             as last_message_text,
                m.created_at       as last_message_at
           from escalations e
           join patients p on p.id = e.patient_id
           left join staff_users s on s.id = e.claimed_by
           left join lateral (
                  select text, created_at, locale
                    from messages
                   where channel = e.channel and conversation_id = e.conversation_id and author = 'patient'
                   order by created_at desc, id desc
                   limit 1
                ) m on true
          where e.status <> 'resolved'`,
      );
      return rows.map(toActiveEscalation);
    },

    async claim(escalationId, staffId) {
      if (!isUuid(escalationId)) return { outcome: 'not_found' };
      // The status condition in the UPDATE makes two simultaneous claims take turns on the row.
      const [row] = await scope.sql.query<EscalationRow>(
        `update escalations
            set status = 'claimed', claimed_by = $2, claimed_at = now()
          where id = $1 and status = 'open'
          returning ${COLUMNS}`,
        [escalationId, staffId],
      );
      return row ? { outcome: 'changed', escalation: toEscalation(row) } : unchanged(escalationId);
    },

    async resolve(escalationId, staff) {
      if (!isUuid(escalationId)) return { outcome: 'not_found' };
      const [row] = await scope.sql.query<EscalationRow>(
        `update escalations
            set status = 'resolved', resolved_at = now()
          where id = $1
            and (  (status = 'claimed' and claimed_by = $2)
                or ($3::boolean and status in ('open', 'claimed')))
          returning ${COLUMNS}`,
        [escalationId, staff.staffId, staff.anyClaim],
      );
      return row ? { outcome: 'changed', escalation: toEscalation(row) } : unchanged(escalationId);
    },

    async reraise(escalationId, urgency, reason) {
      if (!isUuid(escalationId)) return null;
      const [row] = await scope.sql.query<EscalationRow>(
        `update escalations
            set urgency = case when array_position(${URGENCY_ORDER}, $2::text) > array_position(${URGENCY_ORDER}, urgency)
                               then $2::text else urgency end,
                reason = $3,
                raised_at = now(),
                follow_ups = follow_ups + 1
          where id = $1 and status = 'open'
          returning ${COLUMNS}`,
        [escalationId, urgency, reason],
      );
      return row ? toEscalation(row) : null;
    },
  };
}
