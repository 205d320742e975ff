/** src/db/queries — the outbox: messages waiting to be delivered outside a patient's own turn. */
import type { ChannelName } from '../../core/messages.js';
import type { OutgoingMessage } from '../../core/ports/live-events.js';
import type { NewOutboxMessage, OutboxItem, OutboxRepository, OutboxStatus } from '../../core/ports/records.js';
import type { QueryScope } from './scope.js';

interface OutboxRow {
  id: string;
  delivery_id: string;
  channel: ChannelName;
  conversation_id: string;
  patient_id: string | null;
  message: OutgoingMessage;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

const COLUMN_NAMES = ['delivery_id', 'channel', 'conversation_id', 'patient_id', 'message', 'status', 'attempts', 'last_error', 'created_at'];
const COLUMNS = ['id::text as id', ...COLUMN_NAMES].join(', ');
/** The same, qualified for the UPDATE … FROM of takeDue. */
const TAKEN_COLUMNS = ['o.id::text as id', ...COLUMN_NAMES.map((name) => `o.${name}`)].join(', ');

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    conversation: { channel: row.channel, conversationId: row.conversation_id },
    patientId: row.patient_id,
    message: row.message,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

export function outboxRepository(scope: QueryScope): OutboxRepository {
  return {
    async add(messages: NewOutboxMessage[]) {
      if (messages.length === 0) return;
      const rows = messages.map((item) => ({
        delivery_id: item.deliveryId,
        channel: item.conversation.channel,
        conversation_id: item.conversation.conversationId,
        patient_id: item.patientId,
        message: item.message,
      }));
      await scope.sql.query(
        `insert into outbox (delivery_id, channel, conversation_id, patient_id, message)
         select o.delivery_id, o.channel, o.conversation_id, o.patient_id, o.message
           from jsonb_to_recordset($1::text::jsonb) as o(delivery_id text, channel text, conversation_id text, patient_id uuid, message jsonb)
         on conflict (delivery_id) do nothing`,
        [JSON.stringify(rows)],
      );
    },

    async takeDue(channels, limit, leaseMs) {
      if (channels.length === 0) return [];
      // SKIP LOCKED: two processes taking at once take different rows; the lease (moving
      // next_attempt_at forward) hides a taken row until its taker finishes or dies.
      const rows = await scope.sql.query<OutboxRow>(
        `with due as (
           select id from outbox
            where status = 'pending' and channel = any($1::text[]) and next_attempt_at <= now()
            order by next_attempt_at, id
            limit $2
            for update skip locked
         )
         update outbox o
            set attempts = o.attempts + 1,
                next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
           from due
          where o.id = due.id
          returning ${TAKEN_COLUMNS}`,
        [channels, limit, leaseMs],
      );
      return rows.map(toItem).sort((a, b) => Number(a.id) - Number(b.id));
    },

    async markSent(id) {
      await scope.sql.query(
        `update outbox set status = 'sent', finished_at = now(), last_error = null where id = $1::bigint and status = 'pending'`,
        [id],
      );
    },

    async markAttemptFailed(id, error, retryInMs) {
      await scope.sql.query(
        `update outbox
            set last_error = left($2, 500),
                status = case when $3::double precision is null then 'failed' else 'pending' end,
                next_attempt_at = case when $3::double precision is null then next_attempt_at
                                       else now() + make_interval(secs => $3::double precision / 1000) end,
                finished_at = case when $3::double precision is null then now() else null end
          where id = $1::bigint and status = 'pending'`,
        [id, error, retryInMs],
      );
    },

    async findByDeliveryId(deliveryId) {
      const [row] = await scope.sql.query<OutboxRow>(`select ${COLUMNS} from outbox where delivery_id = $1`, [deliveryId]);
      return row ? toItem(row) : null;
    },

    async countByStatus() {
      const rows = await scope.sql.query<{ channel: ChannelName; status: OutboxStatus; count: string }>(
        'select channel, status, count(*)::text as count from outbox group by channel, status order by channel, status',
      );
      return rows.map((row) => ({ channel: row.channel, status: row.status, count: Number(row.count) }));
    },
  };
}
