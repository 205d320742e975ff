/**
 * Every conversation script again, with the language model configured: the assistant talks
 * over HTTP to the scripted OpenAI-compatible server, whose default responder answers like a
 * model would (tool calls read from the request alone). The scripts' expectations are the
 * same as offline: a model in the loop must not change what patients get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../support/fake-openai.js';
import { createScriptedModel } from '../support/scripted-model.js';
import { requirePostgres, requireRedis } from '../support/services.js';
import { clinicFileOf, runScript } from './harness.js';
import { loadConversationScripts } from './load-scripts.js';

const scripts = loadConversationScripts();

describe('conversation scripts with the model configured (scripted OpenAI-compatible server)', () => {
  // One scripted model per clinic: it knows the catalog the way a model reads it from the prompt.
  const servers = new Map<string, FakeOpenAiServer>();
  const callsPerScript = new Map<string, number>();

  beforeAll(async () => {
    await requireRedis();
    await requirePostgres();
    for (const clinic of new Set(scripts.map(({ script }) => script.clinic))) {
      const clinicFile = clinicFileOf({ clinic });
      servers.set(clinic, await FakeOpenAiServer.start({ defaultResponder: await createScriptedModel(clinicFile ? { clinicFile } : {}) }));
    }
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
  });

  it.each(scripts)('$file', async ({ file, script }) => {
    const server = servers.get(script.clinic);
    if (!server) throw new Error(`no scripted model for clinic ${script.clinic}`);
    const before = server.requestCount;
    try {
      await runScript(script, {
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_API_KEY: 'test',
        OPENAI_MODEL: 'scripted-model',
        // Generous: a loaded machine must not turn a scripted answer into a timeout.
        OPENAI_TIMEOUT_MS: '20000',
        OPENAI_MAX_RETRIES: '0',
      });
    } finally {
      callsPerScript.set(file, server.requestCount - before);
    }
  });

  it('really went through the model: most scripts made model calls', () => {
    expect(callsPerScript.size).toBe(scripts.length);
    const withCalls = [...callsPerScript.values()].filter((n) => n > 0).length;
    expect(withCalls, JSON.stringify(Object.fromEntries(callsPerScript))).toBeGreaterThan(scripts.length / 2);
  });
});
