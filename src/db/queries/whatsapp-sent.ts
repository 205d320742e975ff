/** src/db/queries — the parts of outgoing WhatsApp messages that were sent (table whatsapp_sent). */
import type { WhatsAppSentLog } from '../../core/ports/whatsapp-state.js';
import type { SqlDatabase } from '../database.js';

export function createWhatsAppSentLog(db: SqlDatabase): WhatsAppSentLog {
  return {
    async sentParts(account, deliveryKey) {
      const rows = await db.query<{ part: number }>(
        'select part from whatsapp_sent where account = $1 and delivery_key = $2',
        [account, deliveryKey],
      );
      return new Set(rows.map((row) => Number(row.part)));
    },

    async recordSent(account, sent) {
      await db.query(
        `insert into whatsapp_sent (account, delivery_key, part, wa_message_id) values ($1, $2, $3, $4)
         on conflict (account, delivery_key, part) do nothing`,
        [account, sent.deliveryKey, sent.part, sent.waMessageId],
      );
    },

    async wasSentByBot(account, waMessageId) {
      const rows = await db.query<{ one: number }>(
        'select 1 as one from whatsapp_sent where account = $1 and wa_message_id = $2 limit 1',
        [account, waMessageId],
      );
      return rows.length > 0;
    },

    async purgeOlderThan(cutoff) {
      const rows = await db.query<{ n: number }>(
        'with gone as (delete from whatsapp_sent where sent_at < $1 returning 1) select count(*)::int as n from gone',
        [cutoff],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
