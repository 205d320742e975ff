/**
 * Phone numbers and WhatsApp addresses out of log lines (unless LOG_REDACT=false): Baileys
 * logs JIDs freely, in messages and in structured fields.
 */

/** `351912345678@s.whatsapp.net`, `123456789012345:7@lid`, `…@c.us`, `…@g.us`, `…@hosted` → `***@server`. */
const JID = /\b[\d-]{5,}(?::\d+)?@(s\.whatsapp\.net|lid|c\.us|g\.us|hosted(?:\.lid)?|broadcast|newsletter)\b/g;
/** "+351 912 345 678", "+972-50-123-4567" */
const PHONE = /\+\d[\d\s().-]{6,}\d/g;
/** Any other long number: a phone number or LID inside a signal address ("77200000000001_1.0"). */
const LONG_NUMBER = /\d{8,}/g;

/** Fields that hold an address or a number even without "@": masked whole. */
const SENSITIVE_FIELDS = new Set([
  'jid', 'jids', 'lid', 'pn', 'phone', 'phoneNumber', 'user', 'users', 'from', 'to', 'recipient', 'participant',
  'participants', 'remoteJid', 'remoteJidAlt', 'participantAlt', 'author', 'sender', 'senderAlt', 'pushName',
  'notify', 'name', 'text', 'conversation', 'caption', 'me', 'myPN', 'myLID', 'destinationJid', 'chatId',
  'addr', 'username', 'fromJid', 'toJid', 'pnUser', 'lidUser',
]);

const MAX_DEPTH = 6;

export function redactText(text: string): string {
  return text
    .replace(JID, (_match, server: string) => `***@${server}`)
    .replace(PHONE, '+***')
    .replace(LONG_NUMBER, '***');
}

/** A copy of a log argument with addresses masked; buffers are left out, deep objects cut. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), ...(value.stack ? { stack: redactText(value.stack) } : {}) };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = SENSITIVE_FIELDS.has(key) && field !== undefined && field !== null ? '[redacted]' : redactValue(field, depth + 1);
  }
  return out;
}
