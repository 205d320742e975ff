/**
 * `npm run chat` — talk to the assistant in a terminal.
 *
 *   npm run chat -- --lang ru --conversation demo-1
 *   echo "Hola" | npm run chat -- --lang es
 *
 * Parses the flags, builds the runtime from the composition root (only after the flags are
 * valid, so `--help` and mistakes answer at once), runs the chat over stdin/stdout and closes
 * the runtime. Exit codes: 0 done, 1 the chat failed, 2 bad command line.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SUPPORTED_LOCALES, isLocale, type Locale } from '../../core/locale.js';
import { runCliChat } from './cli-chat.js';

const USAGE = `Usage: npm run chat -- [--lang <${SUPPORTED_LOCALES.join('|')}>] [--conversation <id>]

Chat with the clinic assistant in the terminal: one line is one message.

Options:
  -l, --lang <code>          language hint sent with every message (${SUPPORTED_LOCALES.join(', ')})
  -c, --conversation <id>    continue a conversation (letters, digits, "_" and "-", up to 128);
                             a new random id is used when omitted
  -h, --help                 show this help

Type /quit (or press Ctrl+D) to leave. Input can be piped: each line is sent in order.`;

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface CliArgs {
  help: boolean;
  locale?: Locale;
  conversationId: string;
}

/** Thrown for a command line we cannot run; the message names the flag. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        lang: { type: 'string', short: 'l' },
        conversation: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    // parseArgs names the offending flag ("Unknown option '--foo'", "Option '--lang <value>' argument missing").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  const args: CliArgs = { help: values.help === true, conversationId: `cli-${randomUUID()}` };

  if (values.lang !== undefined) {
    const lang = values.lang.trim().toLowerCase();
    if (!isLocale(lang)) {
      throw new UsageError(`--lang: "${values.lang}" is not one of ${SUPPORTED_LOCALES.join(', ')}`);
    }
    args.locale = lang;
  }
  if (values.conversation !== undefined) {
    if (!CONVERSATION_ID.test(values.conversation)) {
      throw new UsageError(
        `--conversation: "${values.conversation}" must be 1–128 letters, digits, "_" or "-"`,
      );
    }
    args.conversationId = values.conversation;
  }
  return args;
}

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`chat: ${error.message}\nRun "npm run chat -- --help" for the options.\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  // Start quietly: the runtime's logger honours LOG_LEVEL; the chat is the output here.
  process.env.LOG_LEVEL ??= 'warn';
  const { createRuntime } = await import('../../app.js');
  const runtime = await createRuntime(process.env, { logToStderr: true });
  const interactive = process.stdin.isTTY === true;
  try {
    if (interactive) {
      process.stderr.write(
        `Clinic assistant — conversation ${args.conversationId}` +
          `${args.locale ? ` (${args.locale})` : ''}. Type /quit to leave.\n`,
      );
    }
    await runCliChat({
      assistant: runtime.assistant,
      input: process.stdin,
      output: process.stdout,
      conversationId: args.conversationId,
      ...(args.locale ? { locale: args.locale } : {}),
      interactive,
      live: {
        subscribe: (listener) => runtime.liveEvents.subscribe(listener),
        staffLabel: (locale) => runtime.translator.strings(locale, 'webchat').staff ?? 'Clinic staff',
      },
    });
  } finally {
    await runtime.close();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; if some library still holds a handle, do not hang the terminal.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`chat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
