/** A translator's saved change reaches the running assistant without a restart. */
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../../src/app.js';

const LOCALES = path.resolve(import.meta.dirname, '../../../locales');
let dir: string;
let runtime: Runtime;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'live-locales-'));
  await cp(LOCALES, path.join(dir, 'locales'), { recursive: true });
  runtime = await createRuntime(
    { DATA_DIR: path.join(dir, 'data'), REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent' },
    { localesDir: path.join(dir, 'locales') },
  );
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

const say = (text: string) =>
  runtime.assistant.handle({ channel: 'webchat', conversationId: `live-${randomUUID()}`, senderId: 'x', messageId: randomUUID(), text, at: new Date() });

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 50; i += 1) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function editJson(file: string, edit: (data: Record<string, unknown>) => void): Promise<void> {
  const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(data);
  await writeFile(file, JSON.stringify(data, null, 2));
}

describe('live locale reload', () => {
  it('a changed reply text is used on the next message', async () => {
    expect((await say('Hola'))[0]?.text).toMatch(/^¡Hola!/);
    await editJson(path.join(dir, 'locales/es/bot.json'), (data) => {
      data.greeting = '¡Buenas! Bienvenido a {{clinic}}. ¿En qué le ayudo?';
    });
    expect(await eventually(async () => (await say('Hola'))[0]?.text.startsWith('¡Buenas! Bienvenido') ?? false)).toBe(true);
  });

  it('a phrase added to nlu.json is understood on the next message', async () => {
    const before = (await say('páseme con el jefe, por favor'))[0]?.text ?? '';
    expect(before).toMatch(/no le he entendido/);
    await editJson(path.join(dir, 'locales/es/nlu.json'), (data) => {
      const intents = data.intents as Record<string, string[]>;
      intents.human = [...(intents.human ?? []), 'con el jefe'];
    });
    expect(
      await eventually(async () => /equipo|personal/i.test((await say('páseme con el jefe, por favor'))[0]?.text ?? '')),
    ).toBe(true);
  });

  it('a broken file keeps the previous texts in use', async () => {
    await writeFile(path.join(dir, 'locales/es/bot.json'), '{ "greeting": ');
    await new Promise((r) => setTimeout(r, 500));
    expect((await say('Hola'))[0]?.text).toMatch(/^¡Buenas! Bienvenido/);
  });
});
