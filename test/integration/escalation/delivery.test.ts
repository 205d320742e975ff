/**
 * Delivery to the patient outside a turn on the terminal chat: it prints staff replies and
 * follow-up notices of its own conversation as they arrive (it runs the runtime in-process:
 * the embedded default here). The outbox itself: test/integration/outbound/outbox.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../../src/app.js';
import { runCliChat } from '../../../src/channels/cli/cli-chat.js';
import type { OutgoingMessage } from '../../../src/core/ports/live-events.js';
import { eventually } from './follow-up-harness.js';

const staffReply = (text: string, locale: 'en' | 'ru' = 'en'): OutgoingMessage => ({
  author: 'staff',
  authorName: 'Ana',
  replies: [{ text, locale }],
});

describe('terminal chat', () => {
  let runtime: Runtime;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cli-live-'));
    runtime = await createRuntime(
      { REDIS_URL: '', DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', TURN_TIMEOUT_MS: '120000' },
      { watchLocales: false },
    );
  });
  afterAll(async () => {
    await runtime?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints staff replies (name and localized label) and bot notices of its own conversation as they arrive', async () => {
    const conversationId = `cli-${randomUUID()}`;
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const chat = runCliChat({
      assistant: runtime.assistant,
      input,
      output,
      conversationId,
      interactive: false,
      live: {
        subscribe: (listener) => runtime.liveEvents.subscribe(listener),
        staffLabel: (locale) => runtime.translator.strings(locale, 'webchat').staff ?? 'Clinic staff',
      },
    });

    await runtime.outbound.send({ channel: 'cli', conversationId }, staffReply('Здравствуйте, это Анна из клиники.', 'ru'));
    await runtime.outbound.send({ channel: 'cli', conversationId: 'someone-else' }, staffReply('Not for you.'));
    await runtime.outbound.send({ channel: 'cli', conversationId }, { author: 'bot', replies: [{ text: 'A notice from the bot.', locale: 'en' }] });
    await eventually(() => expect(printed).toContain('A notice from the bot.'));
    expect(printed).toBe('[Ana · Сотрудник клиники] Здравствуйте, это Анна из клиники.\nA notice from the bot.\n');

    input.end();
    await chat;
    // After the chat ended nothing more is printed for it.
    await runtime.outbound.send({ channel: 'cli', conversationId }, staffReply('Too late.'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(printed).not.toContain('Too late.');
  });
});
