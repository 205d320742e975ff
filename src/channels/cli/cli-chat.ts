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

export interface CliChatOptions {
  assistant: Assistant;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  conversationId: string;
  /** Sent as the channel's language hint with every message. */
  locale?: Locale;
  /** A terminal: show the `> ` prompt and let readline echo and edit the line. */
  interactive: boolean;
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

function write(output: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    output.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Runs the chat until EOF (after the last reply) or `/quit`. An assistant failure rejects. */
export async function runCliChat(options: CliChatOptions): Promise<void> {
  const { assistant, input, output, conversationId, locale, interactive } = options;
  const rl = createInterface({
    input,
    // Only a terminal gets readline's echo, line editing and prompt; piped input stays silent.
    ...(interactive ? { output, terminal: true, prompt: CLI_PROMPT } : { terminal: false }),
    crlfDelay: Infinity,
  });
  // Ctrl+C at the prompt ends the chat like EOF instead of pausing the input.
  rl.on('SIGINT', () => rl.close());

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
    rl.close();
    if (interactive) await write(output, '\n');
  }
}
