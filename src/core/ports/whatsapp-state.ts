/**
 * What the WhatsApp channel keeps in the system of record (PostgreSQL or PGlite), as opaque
 * text: the channel serializes Baileys' structures itself (BufferJSON), so nothing outside
 * src/channels/whatsapp/ knows their shape. "account" names one linked number.
 */

/** One signal key to store; `value: null` deletes it. */
export interface WhatsAppKeyWrite {
  type: string;
  id: string;
  value: string | null;
}

export interface WhatsAppAuthRepository {
  /**
   * Makes `fence` the account's write fence, unless a newer one (a later lease holder) is
   * already stored. True when this fence may now write.
   */
  claim(account: string, fence: number): Promise<boolean>;
  readCreds(account: string): Promise<string | null>;
  /** The stored values of these ids of one key type; ids without a value are absent. */
  readKeys(account: string, type: string, ids: string[]): Promise<Map<string, string>>;
  /**
   * One transaction: creds (when given) and every key write, or nothing. Throws
   * LeaseLostError when `fence` is no longer the account's fence.
   */
  write(account: string, fence: number, change: { creds?: string; keys?: WhatsAppKeyWrite[] }): Promise<void>;
  /** Deletes the credentials and every key (unlink, logout, ban); fenced like write(). */
  erase(account: string, fence: number): Promise<void>;
  /** True when credentials of a linked (or half-linked) number are stored. */
  hasCreds(account: string): Promise<boolean>;
  /**
   * Deletes what the signal keys hold about these contacts (user ids: phone numbers and LIDs):
   * sessions, identity keys, device lists, privacy tokens, LID ↔ phone mappings. For erasing a
   * patient; not fenced, like any deletion on request. Returns how many keys went.
   */
  forgetContacts(account: string, users: string[]): Promise<number>;
}

/**
 * The parts of outgoing messages that reached WhatsApp: a retried delivery skips them, and a
 * message from the clinic's own number whose id is not here was typed by a person.
 */
export interface WhatsAppSentLog {
  /** Part numbers of this delivery already sent. */
  sentParts(account: string, deliveryKey: string): Promise<Set<number>>;
  recordSent(account: string, sent: { deliveryKey: string; part: number; waMessageId: string }): Promise<void>;
  wasSentByBot(account: string, waMessageId: string): Promise<boolean>;
  /** Forgets what was sent before `cutoff`; returns how many rows went. */
  purgeOlderThan(cutoff: Date): Promise<number>;
}
