/**
 * src/db/queries — the linked WhatsApp number's credentials and signal keys (tables
 * whatsapp_accounts and whatsapp_keys), fenced by the lease holder's token: every write
 * locks the account row and checks the fence in the same transaction.
 */
import { LeaseLostError } from '../../core/errors.js';
import type { WhatsAppAuthRepository, WhatsAppKeyWrite } from '../../core/ports/whatsapp-state.js';
import type { SqlDatabase, SqlExecutor } from '../database.js';

/** Rows per statement: 812 pre-keys on the first link arrive in one batch. */
const CHUNK = 1_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function checkFence(tx: SqlExecutor, account: string, fence: number): Promise<void> {
  const [row] = await tx.query<{ fence: string }>('select fence::text as fence from whatsapp_accounts where account = $1 for update', [account]);
  if (!row || Number(row.fence) !== fence) throw new LeaseLostError('WhatsApp auth state');
}

async function upsertKeys(tx: SqlExecutor, account: string, keys: WhatsAppKeyWrite[]): Promise<void> {
  for (const batch of chunks(keys)) {
    await tx.query(
      `insert into whatsapp_keys (account, type, id, value)
       select $1, k.type, k.id, k.value from unnest($2::text[], $3::text[], $4::text[]) as k(type, id, value)
       on conflict (account, type, id) do update set value = excluded.value`,
      [account, batch.map((k) => k.type), batch.map((k) => k.id), batch.map((k) => k.value)],
    );
  }
}

async function deleteKeys(tx: SqlExecutor, account: string, keys: WhatsAppKeyWrite[]): Promise<void> {
  for (const batch of chunks(keys)) {
    await tx.query(
      `delete from whatsapp_keys w
        using unnest($2::text[], $3::text[]) as k(type, id)
        where w.account = $1 and w.type = k.type and w.id = k.id`,
      [account, batch.map((k) => k.type), batch.map((k) => k.id)],
    );
  }
}

/** The last write of an id in one batch wins, as it would have one after another. */
function lastWritePerKey(keys: WhatsAppKeyWrite[]): WhatsAppKeyWrite[] {
  const latest = new Map<string, WhatsAppKeyWrite>();
  for (const key of keys) latest.set(`${key.type}\u0000${key.id}`, key);
  return [...latest.values()];
}

export function createWhatsAppAuthRepository(db: SqlDatabase): WhatsAppAuthRepository {
  return {
    async claim(account, fence) {
      const rows = await db.query<{ account: string }>(
        `insert into whatsapp_accounts (account, fence) values ($1, $2)
         on conflict (account) do update set fence = excluded.fence, updated_at = now()
           where whatsapp_accounts.fence <= excluded.fence
         returning account`,
        [account, fence],
      );
      return rows.length > 0;
    },

    async readCreds(account) {
      const [row] = await db.query<{ creds: string | null }>('select creds from whatsapp_accounts where account = $1', [account]);
      return row?.creds ?? null;
    },

    async readKeys(account, type, ids) {
      const found = new Map<string, string>();
      if (ids.length === 0) return found;
      for (const batch of chunks(ids)) {
        const rows = await db.query<{ id: string; value: string }>(
          'select id, value from whatsapp_keys where account = $1 and type = $2 and id = any($3::text[])',
          [account, type, batch],
        );
        for (const row of rows) found.set(row.id, row.value);
      }
      return found;
    },

    async write(account, fence, change) {
      const keys = lastWritePerKey(change.keys ?? []);
      if (change.creds === undefined && keys.length === 0) return;
      await db.transaction(async (tx) => {
        await checkFence(tx, account, fence);
        if (change.creds !== undefined) {
          await tx.query('update whatsapp_accounts set creds = $2, updated_at = now() where account = $1', [account, change.creds]);
        }
        const removed = keys.filter((k) => k.value === null);
        const stored = keys.filter((k) => k.value !== null);
        if (removed.length > 0) await deleteKeys(tx, account, removed);
        if (stored.length > 0) await upsertKeys(tx, account, stored);
      });
    },

    async erase(account, fence) {
      await db.transaction(async (tx) => {
        await checkFence(tx, account, fence);
        await tx.query('delete from whatsapp_keys where account = $1', [account]);
        await tx.query('update whatsapp_accounts set creds = null, updated_at = now() where account = $1', [account]);
      });
    },

    async forgetContacts(account, users) {
      if (users.length === 0) return 0;
      // Key ids per type: lid-mapping "<pn>" and "<lid>_reverse"; session and identity-key the
      // signal address "<user>[_<domain>].<device>"; device-list "<user>"; tctoken "<user>@lid".
      const rows = await db.query<{ n: number }>(
        `with gone as (
           delete from whatsapp_keys
            where account = $1
              and ((type = 'lid-mapping' and (id = any($2::text[]) or replace(id, '_reverse', '') = any($2::text[])))
                or (type in ('session', 'identity-key') and split_part(split_part(id, '.', 1), '_', 1) = any($2::text[]))
                or (type = 'device-list' and id = any($2::text[]))
                or (type = 'tctoken' and split_part(id, '@', 1) = any($2::text[])))
            returning 1)
         select count(*)::int as n from gone`,
        [account, users],
      );
      return Number(rows[0]?.n ?? 0);
    },

    async hasCreds(account) {
      const [row] = await db.query<{ linked: boolean }>(
        'select creds is not null as linked from whatsapp_accounts where account = $1',
        [account],
      );
      return row?.linked ?? false;
    },
  };
}
