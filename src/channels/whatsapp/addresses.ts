/** WhatsApp addresses (JIDs) as the clinic needs them: people only, phone numbers in +form. */
import {
  isJidBot,
  isJidBroadcast,
  isJidGroup,
  isJidMetaAI,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidDecode,
} from '@whiskeysockets/baileys';

/** True for a chat with one person (`…@lid` or `…@s.whatsapp.net`): not a group, list, status, channel or bot. */
export function isPersonAddress(jid: string | null | undefined): jid is string {
  if (!jid) return false;
  if (isJidGroup(jid) || isJidBroadcast(jid) || isJidStatusBroadcast(jid) || isJidNewsletter(jid)) return false;
  if (isJidBot(jid) || isJidMetaAI(jid)) return false;
  return Boolean(isLidUser(jid) || isPnUser(jid));
}

/** "351912345678@s.whatsapp.net" or "351912345678:5@s.whatsapp.net" → "+351912345678". */
export function phoneOf(pnJid: string | null | undefined): string | null {
  if (!pnJid || !isPnUser(pnJid)) return null;
  const user = jidDecode(pnJid)?.user;
  return user && /^\d{6,15}$/.test(user) ? `+${user}` : null;
}

/** The user part of an address, without device: "123:5@lid" → "123". */
export function userOf(jid: string | null | undefined): string | null {
  return (jid && jidDecode(jid)?.user) || null;
}
