/**
 * Every Redis key the hot store uses is built here and nowhere else.
 *
 *   {prefix}:conv:{conversationKey}        hash {rev, record}: the cached committed state; TTL = conversation TTL
 *   {prefix}:ans:{n}:{conversationKey}:{messageId}
 *                                           the replies a message got (n = length of the conversation key,
 *                                           so colons in either part cannot collide); TTL = de-duplication window
 *   {prefix}:rl:{senderKey}                 counter; TTL = rate-limit window
 *   {prefix}:lock:{conversationKey}         the turn lock: the holder's token; TTL = the lease
 *   {prefix}:lease:{name}                   hash {holder, fence}; TTL = the lease (e.g. whatsapp:default)
 *   {prefix}:fence:{name}                   the lease's last fencing token; TTL 30 days, refreshed on each grant
 *   {prefix}:live                           pub/sub channel of live events (no key is stored)
 *   {prefix}:bull:{queue}:…                 BullMQ's keys (follow-up and reminder jobs); BullMQ builds the rest
 *
 * The app uses the prefix `cab:{env}`; tests pass a unique prefix and clean up by pattern().
 */
export interface StoreKeys {
  readonly prefix: string;
  conversation(conversationKey: string): string;
  answered(conversationKey: string, messageId: string): string;
  rateLimit(senderKey: string): string;
  lock(conversationKey: string): string;
  /** A lease only one process holds at a time (src/store/redis-leases.ts). */
  lease(name: string): string;
  /** The counter that makes each new holder's fencing token larger. */
  fence(name: string): string;
  /** The pub/sub channel every process of this deployment publishes live events on. */
  liveEvents(): string;
  /** The `prefix` option handed to BullMQ: its queues' keys live under it. */
  bullPrefix(): string;
  /** A SCAN MATCH pattern covering every key under the prefix (glob characters in it escaped). */
  pattern(): string;
}

const GLOB_CHARACTERS = /[*?[\]\\]/g;

export function createStoreKeys(prefix: string): StoreKeys {
  if (prefix.length === 0 || prefix.startsWith(':') || prefix.endsWith(':')) {
    throw new Error(`Invalid store key prefix "${prefix}": expected something like "cab:production"`);
  }
  const part = (name: string, value: string): string => {
    if (value.length === 0) throw new Error(`Store key part "${name}" must not be empty`);
    return value;
  };
  return {
    prefix,
    conversation: (conversationKey) => `${prefix}:conv:${part('conversationKey', conversationKey)}`,
    answered: (conversationKey, messageId) =>
      `${prefix}:ans:${conversationKey.length}:${part('conversationKey', conversationKey)}:${part('messageId', messageId)}`,
    rateLimit: (senderKey) => `${prefix}:rl:${part('senderKey', senderKey)}`,
    lock: (conversationKey) => `${prefix}:lock:${part('conversationKey', conversationKey)}`,
    lease: (name) => `${prefix}:lease:${part('name', name)}`,
    fence: (name) => `${prefix}:fence:${part('name', name)}`,
    liveEvents: () => `${prefix}:live`,
    bullPrefix: () => `${prefix}:bull`,
    pattern: () => `${prefix.replace(GLOB_CHARACTERS, (c) => `\\${c}`)}:*`,
  };
}
