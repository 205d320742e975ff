/**
 * One patient talking to a runtime whose model is the scripted server: real Redis and
 * PostgreSQL (own schema and prefix via the conversation harness), the real `openai` client.
 */
import { randomUUID } from 'node:crypto';
import type { StateValue } from 'xstate';
import type { ConversationContext } from '../../../statecharts/conversation.js';
import { stateName } from '../../../src/conversation/state-name.js';
import { conversationKeyString, type RenderedReply } from '../../../src/core/messages.js';
import { ScriptHarness } from '../../conversations/harness.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { FakeOpenAiServer } from '../../support/fake-openai.js';
import { createScriptedModel } from '../../support/scripted-model.js';
import { requirePostgres, requireRedis } from '../../support/services.js';

/** Monday 23 Nov 2026, 09:00 in Lisbon (UTC in winter): the conversation scripts' clock. */
export const NOW = '2026-11-23T09:00:00Z';

export interface ModelSettings {
  baseUrl: string;
  timeoutMs?: number;
  maxRetries?: number;
  breakerThreshold?: number;
  breakerCooldownSeconds?: number;
}

export function modelEnv(settings: ModelSettings): Record<string, string> {
  return {
    OPENAI_BASE_URL: settings.baseUrl,
    OPENAI_API_KEY: 'test',
    OPENAI_MODEL: 'scripted-model',
    OPENAI_TIMEOUT_MS: String(settings.timeoutMs ?? 20_000),
    OPENAI_MAX_RETRIES: String(settings.maxRetries ?? 0),
    OPENAI_BREAKER_THRESHOLD: String(settings.breakerThreshold ?? 100),
    OPENAI_BREAKER_COOLDOWN_SECONDS: String(settings.breakerCooldownSeconds ?? 600),
  };
}

export interface Turn {
  replies: RenderedReply[];
  /** Every reply's text and option labels, one string. */
  text: string;
  /** Model requests this turn made. */
  modelCalls: number;
}

export class ModelConversation {
  readonly conversationId = `agent-${randomUUID()}`;
  patientId = '';

  private constructor(
    readonly harness: ScriptHarness,
    private readonly server: FakeOpenAiServer | null,
  ) {}

  static async open(settings: ModelSettings, server: FakeOpenAiServer | null): Promise<ModelConversation> {
    const harness = await ScriptHarness.open(NOW, modelEnv(settings));
    const conversation = new ModelConversation(harness, server);
    const patient = await harness.runtime.records.patients.findOrCreateByIdentity(
      { channel: 'webchat', externalId: conversation.conversationId },
      {},
    );
    conversation.patientId = patient.id;
    return conversation;
  }

  async say(text: string): Promise<Turn> {
    const before = this.server?.requestCount ?? 0;
    const replies = await this.harness.runtime.assistant.handle({
      channel: 'webchat',
      conversationId: this.conversationId,
      senderId: this.conversationId,
      messageId: randomUUID(),
      text,
      at: new Date(),
    });
    const all = replies.map((r) => [r.text, ...(r.options ?? []).map((o) => o.label)].join('\n')).join('\n');
    return { replies, text: all, modelCalls: (this.server?.requestCount ?? 0) - before };
  }

  async view(): Promise<{ state: string; context: ConversationContext | null }> {
    const stored = await this.harness.runtime.hotStore.getConversation(
      conversationKeyString({ channel: 'webchat', conversationId: this.conversationId }),
    );
    if (!stored) return { state: 'idle', context: null };
    const snapshot = stored.snapshot as { value: StateValue; context: ConversationContext };
    return { state: stateName(snapshot.value), context: snapshot.context };
  }

  async state(): Promise<string> {
    return (await this.view()).state;
  }

  /** All appointment rows in this test's schema, whoever they belong to. */
  async allAppointments(): Promise<{ patient_id: string; doctor_id: string; service_id: string; starts_at: Date; status: string }[]> {
    return this.harness.query('select patient_id, doctor_id, service_id, starts_at, status from appointments order by starts_at');
  }

  async close(): Promise<void> {
    await this.harness.close();
  }
}

export interface ScriptedModelFixture {
  readonly server: FakeOpenAiServer;
  readonly chat: ModelConversation;
}

/**
 * For a describe block: one scripted model server for the file, and a fresh patient
 * conversation (own schema and key prefix) for every test, closed afterwards.
 */
export function useScriptedModelConversation(): ScriptedModelFixture {
  let server: FakeOpenAiServer | null = null;
  let chat: ModelConversation | null = null;
  beforeAll(async () => {
    await requireRedis();
    await requirePostgres();
    server = await FakeOpenAiServer.start({ defaultResponder: await createScriptedModel() });
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    if (!server) throw new Error('the scripted model server did not start');
    server.reset();
    chat = await ModelConversation.open({ baseUrl: server.baseUrl }, server);
  });
  afterEach(async () => chat?.close());
  return {
    get server() {
      if (!server) throw new Error('the scripted model server did not start');
      return server;
    },
    get chat() {
      if (!chat) throw new Error('no conversation is open outside a test');
      return chat;
    },
  };
}
