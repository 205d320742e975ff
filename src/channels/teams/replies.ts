/**
 * Rendered replies → Teams activities. A menu becomes an Adaptive Card with one Action.Submit
 * button per option (its value picks the option as typing the number would), right to left in
 * Hebrew, with the numbered text as fallback; clients that cannot show cards get that text.
 */
import { RTL_LOCALES } from '../../core/locale.js';
import type { RenderedReply } from '../../core/messages.js';
import type { CardAttachment, OutgoingActivity } from './activity.js';
import { OPTION_FIELD } from './inbound.js';

/** Channels known to show Adaptive Cards (Teams, Web Chat, Direct Line, the Emulator). */
const CARD_CHANNELS = new Set(['msteams', 'webchat', 'directline', 'emulator']);

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function showsCards(channelId: string | undefined): boolean {
  return channelId !== undefined && CARD_CHANNELS.has(channelId);
}

/** The text with its options numbered, as typed menus read everywhere else. */
export function numberedText(reply: RenderedReply): string {
  const options = reply.options ?? [];
  return [reply.text, ...options.map((option, index) => `${index + 1}. ${option.label}`)].join('\n');
}

export function optionsCard(reply: RenderedReply): CardAttachment {
  const options = reply.options ?? [];
  return {
    contentType: ADAPTIVE_CARD,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      ...(RTL_LOCALES.includes(reply.locale) ? { rtl: true } : {}),
      lang: reply.locale,
      fallbackText: numberedText(reply),
      body: [{ type: 'TextBlock', text: reply.text, wrap: true }],
      actions: options.map((option, index) => ({
        type: 'Action.Submit',
        title: `${index + 1}. ${option.label}`,
        data: { [OPTION_FIELD]: String(index + 1) },
      })),
    },
  };
}

export function replyActivity(reply: RenderedReply, cards: boolean): OutgoingActivity {
  const base = { type: 'message' as const, locale: reply.locale };
  if (!reply.options?.length) return { ...base, text: reply.text, textFormat: 'plain' };
  if (!cards) return { ...base, text: numberedText(reply), textFormat: 'plain' };
  return { ...base, summary: reply.text, attachments: [optionsCard(reply)] };
}

/** A staff member's reply, under their name as the patient sees it ("Ana · Clinic staff"). */
export function staffReplyActivity(reply: RenderedReply, header: string): OutgoingActivity {
  return { type: 'message', locale: reply.locale, text: `${header}\n${reply.text}`, textFormat: 'plain' };
}
