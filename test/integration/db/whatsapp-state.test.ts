import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../../src/core/errors.js';
import type { WhatsAppAuthRepository, WhatsAppSentLog } from '../../../src/core/ports/whatsapp-state.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createWhatsAppAuthRepository } from '../../../src/db/queries/whatsapp-auth.js';
import { createWhatsAppSentLog } from '../../../src/db/queries/whatsapp-sent.js';
import { uniqueName } from '../../support/services.js';
import { backends, openMigrated } from './backends.js';

describe.each(backends)('WhatsApp auth state and sent log on $name', (backend) => {
  let db: SqlDatabase;
  let auth: WhatsAppAuthRepository;
  let sent: WhatsAppSentLog;

  beforeAll(async () => {
    db = await openMigrated(backend);
    auth = createWhatsAppAuthRepository(db);
    sent = createWhatsAppSentLog(db);
  });

  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  it('lets only the newest fence claim the account', async () => {
    const account = uniqueName('acct');
    expect(await auth.claim(account, 10)).toBe(true);
    expect(await auth.claim(account, 12)).toBe(true);
    expect(await auth.claim(account, 11)).toBe(false);
    // The same holder claiming again (a restart of its connection) is fine.
    expect(await auth.claim(account, 12)).toBe(true);
  });

  it('writes creds and keys together, reads them back, deletes on null, keeps the last write of an id', async () => {
    const account = uniqueName('acct');
    await auth.claim(account, 1);
    expect(await auth.hasCreds(account)).toBe(false);
    await auth.write(account, 1, {
      creds: '{"me":1}',
      keys: [
        { type: 'session', id: 'a.0', value: 's1' },
        { type: 'session', id: 'b.0', value: 's2' },
        { type: 'lid-mapping', id: '351910000001', value: '"123@lid"' },
        { type: 'session', id: 'a.0', value: 's1-newer' },
      ],
    });
    expect(await auth.readCreds(account)).toBe('{"me":1}');
    expect(await auth.hasCreds(account)).toBe(true);
    expect(await auth.readKeys(account, 'session', ['a.0', 'b.0', 'c.0'])).toEqual(new Map([['a.0', 's1-newer'], ['b.0', 's2']]));
    expect(await auth.readKeys(account, 'lid-mapping', ['351910000001'])).toEqual(new Map([['351910000001', '"123@lid"']]));

    await auth.write(account, 1, { keys: [{ type: 'session', id: 'a.0', value: null }] });
    expect(await auth.readKeys(account, 'session', ['a.0', 'b.0'])).toEqual(new Map([['b.0', 's2']]));
  });

  it('stores a batch of 812 pre-keys in one write', async () => {
    const account = uniqueName('acct');
    await auth.claim(account, 1);
    const ids = Array.from({ length: 812 }, (_, i) => String(i + 1));
    await auth.write(account, 1, { keys: ids.map((id) => ({ type: 'pre-key', id, value: `k${id}` })) });
    const read = await auth.readKeys(account, 'pre-key', ids);
    expect(read.size).toBe(812);
    expect(read.get('812')).toBe('k812');
  });

  it('refuses every write of a holder whose fence was superseded, and leaves the state as it was', async () => {
    const account = uniqueName('acct');
    await auth.claim(account, 5);
    await auth.write(account, 5, { creds: 'old-owner', keys: [{ type: 'session', id: 'x.0', value: 'v1' }] });
    await auth.claim(account, 6);
    await expect(auth.write(account, 5, { creds: 'stale', keys: [{ type: 'session', id: 'x.0', value: 'corrupt' }] })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await expect(auth.erase(account, 5)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await auth.readCreds(account)).toBe('old-owner');
    expect(await auth.readKeys(account, 'session', ['x.0'])).toEqual(new Map([['x.0', 'v1']]));
    await auth.write(account, 6, { creds: 'new-owner' });
    expect(await auth.readCreds(account)).toBe('new-owner');
  });

  it('erase removes the credentials and every key', async () => {
    const account = uniqueName('acct');
    await auth.claim(account, 3);
    await auth.write(account, 3, { creds: 'c', keys: [{ type: 'identity-key', id: '1@lid', value: 'k' }] });
    await auth.erase(account, 3);
    expect(await auth.hasCreds(account)).toBe(false);
    expect(await auth.readCreds(account)).toBeNull();
    expect((await auth.readKeys(account, 'identity-key', ['1@lid'])).size).toBe(0);
    // The account can be linked again by the same holder.
    await auth.write(account, 3, { creds: 'relinked' });
    expect(await auth.readCreds(account)).toBe('relinked');
  });

  it('forgets what the keys hold about erased contacts, and nothing else', async () => {
    const account = uniqueName('acct');
    await auth.claim(account, 1);
    const keys = (user: string, lid: string) => [
      { type: 'lid-mapping', id: user, value: `"${lid}"` },
      { type: 'lid-mapping', id: `${lid}_reverse`, value: `"${user}"` },
      { type: 'session', id: `${lid}_1.0`, value: 's' },
      { type: 'session', id: `${user}.0`, value: 's' },
      { type: 'identity-key', id: `${lid}_1.0`, value: 'k' },
      { type: 'device-list', id: lid, value: '["0"]' },
      { type: 'tctoken', id: `${lid}@lid`, value: '{}' },
    ];
    await auth.write(account, 1, { keys: [...keys('351920000009', '77000000000009'), ...keys('351920000010', '77000000000010')] });
    expect(await auth.forgetContacts(account, ['351920000009', '77000000000009'])).toBe(7);
    const left = await db.query<{ id: string }>('select id from whatsapp_keys where account = $1 order by id', [account]);
    expect(left.map((row) => row.id).every((id) => id.includes('10'))).toBe(true);
    expect(left).toHaveLength(7);
  });

  it('remembers which parts of a delivery were sent and which message ids the bot sent', async () => {
    const account = uniqueName('acct');
    await sent.recordSent(account, { deliveryKey: 'd1', part: 0, waMessageId: '3EB0AAA' });
    await sent.recordSent(account, { deliveryKey: 'd1', part: 1, waMessageId: '3EB0BBB' });
    await sent.recordSent(account, { deliveryKey: 'd1', part: 1, waMessageId: '3EB0BBB' });
    expect(await sent.sentParts(account, 'd1')).toEqual(new Set([0, 1]));
    expect(await sent.sentParts(account, 'd2')).toEqual(new Set());
    expect(await sent.wasSentByBot(account, '3EB0BBB')).toBe(true);
    expect(await sent.wasSentByBot(account, 'STAFF-TYPED')).toBe(false);
    expect(await sent.wasSentByBot(uniqueName('other'), '3EB0BBB')).toBe(false);
    expect(await sent.purgeOlderThan(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2);
    expect(await sent.sentParts(account, 'd1')).toEqual(new Set());
  });
});
