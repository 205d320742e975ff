/**
 * Terminal chat channel: one input line = one InboundMessage (channel 'cli').
 *
 * Room: a channel adapter over two streams. It knows nothing of the process, the runtime or
 * the statechart — `main.ts` wires it to stdin/stdout and the composition root. Lines are
 * handled strictly in order: each reply is awaited before the next line is read, even when
 * input is piped in faster than the assistant answers.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Locale } from '../../core/locale.js';
import type { InboundMessage, RenderedReply } from '../../core/messages.js';
import type { Assistant } from '../../core/ports/assistant.js';
import type { LiveEvents, OutgoingMessage } from '../../core/ports/live-events.js';

/** Messages pushed outside a turn (staff replies, follow-up notices) for this conversation. */
export interface CliLive {
  subscribe: LiveEvents['subscribe'];
  /** "Clinic staff" in the reply's language. */
  staffLabel: (locale: Locale) => string;
}

export interface CliChatOptions {
  assistant: Assistant;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  conversationId: string;
  /** Sent as the channel's language hint with every message. */
  locale?: Locale;
  /** A terminal: show the `> ` prompt and let readline echo and edit the line. */
  interactive: boolean;
  live?: CliLive;
}

export const CLI_PROMPT = '> ';
export const QUIT_COMMANDS: readonly string[] = ['/quit', '/exit'];

/** Replies as the terminal shows them: the text, then each option as "  1. label". */
export function formatReplies(replies: readonly RenderedReply[]): string {
  const lines: string[] = [];
  for (const reply of replies) {
    lines.push(reply.text);
    reply.options?.forEach((option, index) => lines.push(`  ${index + 1}. ${option.label}`));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** A staff reply as "[Ana · Clinic staff] text"; a notice from the bot as a plain reply. */
export function formatPush(message: OutgoingMessage, staffLabel: (locale: Locale) => string): string {
  if (message.author !== 'staff') return formatReplies(message.replies);
  return formatReplies(
    message.replies.map((reply) => {
      const label = [message.authorName, staffLabel(reply.locale)].filter(Boolean).join(' · ');
      return { ...reply, text: `[${label}] ${reply.text}` };
    }),
  );
}

function write(output: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    output.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Runs the chat until EOF (after the last reply) or `/quit`. An assistant failure rejects. */
export async function runCliChat(options: CliChatOptions): Promise<void> {
  const { assistant, input, output, conversationId, locale, interactive, live } = options;
  const rl = createInterface({
    input,
    // Only a terminal gets readline's echo, line editing and prompt; piped input stays silent.
    ...(interactive ? { output, terminal: true, prompt: CLI_PROMPT } : { terminal: false }),
    crlfDelay: Infinity,
  });
  // Ctrl+C at the prompt ends the chat like EOF instead of pausing the input.
  rl.on('SIGINT', () => rl.close());
  const stopLive = live?.subscribe((event) => {
    if (event.type !== 'outbound' || event.channel !== 'cli' || event.conversationId !== conversationId) return;
    const text = formatPush(event.message, live.staffLabel);
    void write(output, interactive ? `\n${text}` : text).then(
      () => {
        if (interactive) rl.prompt(true);
      },
      // The output is gone (the terminal closed): there is no one left to show it to.
      () => stopLive?.(),
    );
  });

  try {
    if (interactive) rl.prompt();
    for await (const rawLine of rl) {
      const text = rawLine.trim();
      if (text === '') {
        if (interactive) rl.prompt();
        continue;
      }
      if (QUIT_COMMANDS.includes(text.toLowerCase())) break;

      const message: InboundMessage = {
        channel: 'cli',
        conversationId,
        senderId: conversationId,
        messageId: randomUUID(),
        text,
        at: new Date(),
      };
      if (locale !== undefined) message.localeHint = locale;

      const replies = await assistant.handle(message);
      await write(output, interactive ? `${formatReplies(replies)}\n` : formatReplies(replies));
      if (interactive) rl.prompt();
    }
  } finally {
    stopLive?.();
    rl.close();
    if (interactive) await write(output, '\n');
  }
}
