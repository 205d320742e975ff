/**
 * Baileys' auth state (credentials and signal keys) in the database, never in files: every
 * `keys.set()` batch is one fenced transaction, values are BufferJSON text, and Baileys' own
 * cache sits in front. Only the lease holder writes; a process that lost the lease gets
 * LeaseLostError from the database instead of corrupting the keys.
 */
import {
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { ILogger } from '@whiskeysockets/baileys/lib/Utils/logger.js';
import { LeaseLostError } from '../../core/errors.js';
import type { WhatsAppAuthRepository, WhatsAppKeyWrite } from '../../core/ports/whatsapp-state.js';

export interface AuthStateSource {
  repository: WhatsAppAuthRepository;
  account: string;
  /** This holder's fencing token; the database refuses writes under an older one. */
  fence: number;
  /** Checked before each write, so a holder that knows it lost the lease does not even try. */
  holdsLease: () => boolean;
  logger: ILogger;
}

export interface StoredAuthState {
  state: AuthenticationState;
  /** Persists the credentials as they are now; call on every `creds.update`. Writes keep their order. */
  saveCreds(): Promise<void>;
  /**
   * No more writes through this state (it is being deleted: logout, unlink): late writes of the
   * ending socket must not bring keys back after the erase. Resolves when the writes already
   * under way have finished, so an erase after it is the last word.
   */
  retire(): Promise<void>;
}

export function serialize(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

export function deserialize(text: string): unknown {
  return JSON.parse(text, BufferJSON.reviver) as unknown;
}

/** Linked means WhatsApp accepted this device: pairing set our account and our number. */
export function isLinked(creds: AuthenticationCreds): boolean {
  return Boolean(creds.me?.id && creds.account);
}

function keyWrites(data: SignalDataSet): WhatsAppKeyWrite[] {
  const writes: WhatsAppKeyWrite[] = [];
  for (const [type, values] of Object.entries(data)) {
    for (const [id, value] of Object.entries(values ?? {})) {
      writes.push({ type, id, value: value === null || value === undefined ? null : serialize(value) });
    }
  }
  return writes;
}

/** Restores the credentials stored for the account, or fresh ones for a number still to link. */
export async function loadAuthState(source: AuthStateSource): Promise<StoredAuthState> {
  const { repository, account, fence } = source;
  const stored = await repository.readCreds(account);
  const creds = stored ? (deserialize(stored) as AuthenticationCreds) : initAuthCreds();

  let retired = false;
  const writing = new Set<Promise<unknown>>();
  function tracked<T>(write: Promise<T>): Promise<T> {
    writing.add(write);
    return write.finally(() => writing.delete(write));
  }
  const guard = (): void => {
    if (retired) throw new Error('WhatsApp auth state: retired (logged out or unlinked); write refused');
    if (!source.holdsLease()) throw new LeaseLostError('WhatsApp auth state');
  };

  const store: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]): Promise<{ [id: string]: SignalDataTypeMap[T] }> {
      const found = await repository.readKeys(account, type, ids);
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const [id, text] of found) {
        const value = deserialize(text);
        // Stored as plain JSON; Baileys needs the protobuf object back for this type.
        out[id] = (type === 'app-state-sync-key' && value ? proto.Message.AppStateSyncKeyData.fromObject(value as object) : value) as SignalDataTypeMap[T];
      }
      return out;
    },
    async set(data) {
      guard();
      await tracked(repository.write(account, fence, { keys: keyWrites(data) }));
    },
  };

  let saving: Promise<void> = Promise.resolve();
  return {
    state: { creds, keys: makeCacheableSignalKeyStore(store, source.logger) },
    saveCreds() {
      const text = serialize(creds);
      const next = tracked(
        saving.then(() => {
          guard();
          return repository.write(account, fence, { creds: text });
        }),
      );
      saving = next.catch(() => undefined);
      return next;
    },
    async retire() {
      retired = true;
      await Promise.allSettled([...writing]);
    },
  };
}
