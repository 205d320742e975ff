/**
 * Rendered replies as WhatsApp text. Buttons and list messages no longer reach ordinary
 * accounts, so options are a numbered menu the patient answers with "2", exactly as on the
 * web chat. WhatsApp's own markup: *bold*. Each reply is one WhatsApp message.
 */
import { RTL_LOCALES } from '../../core/locale.js';
import type { RenderedReply } from '../../core/messages.js';
import type { OutgoingMessage } from '../../core/ports/live-events.js';

/** RIGHT-TO-LEFT MARK: a Hebrew line that starts with "1." or a Latin name still reads from the right. */
const RLM = '\u200F';

/** A name without WhatsApp's markup characters, so it cannot end the bold early or start other markup. */
function plain(text: string): string {
  return text.replace(/[*_~`]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function formatReply(reply: RenderedReply): string {
  const lines = reply.text.split('\n');
  if (reply.options && reply.options.length > 0) {
    lines.push('', ...reply.options.map((option, index) => `*${index + 1}.* ${option.label}`));
  }
  const rtl = RTL_LOCALES.includes(reply.locale);
  return lines.map((line) => (rtl && line.length > 0 ? `${RLM}${line}` : line)).join('\n');
}

/**
 * The WhatsApp messages for one outgoing message, in order. A staff reply opens with the name
 * the patient sees next to it ("*Ana · Clinic staff*"), like on the web chat.
 */
export function formatOutgoing(message: OutgoingMessage, staffLabel: (reply: RenderedReply) => string): string[] {
  return message.replies.map((reply) => {
    const body = formatReply(reply);
    if (message.author !== 'staff') return body;
    const name = message.authorName ? `${plain(message.authorName)} · ${staffLabel(reply)}` : staffLabel(reply);
    const heading = `*${name}*`;
    return `${RTL_LOCALES.includes(reply.locale) ? RLM : ''}${heading}\n${body}`;
  });
}
