/**
 * A Teams turn slower than TEAMS_TURN_BUDGET_MS (here: a slow language model, the scripted
 * OpenAI-compatible server answering after 1.2 s): Teams gets its 200 before the replies exist,
 * sees the bot typing, and the replies arrive proactively. The real app, Redis and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../support/fake-openai.js';
import { createScriptedModel } from '../support/scripted-model.js';
import { personalActivity, postActivity, readable, startTeamsApp, teamsUser, type TeamsHarness } from '../support/teams.js';

let model: FakeOpenAiServer;
let harness: TeamsHarness;

beforeAll(async () => {
  model = await FakeOpenAiServer.start({ defaultResponder: await createScriptedModel(), latencyMs: { min: 1_200, max: 1_200 } });
  harness = await startTeamsApp('teams_slow', {
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_API_KEY: 'test',
    OPENAI_TIMEOUT_MS: '10000',
    OPENAI_TURN_BUDGET_MS: '10000',
    TEAMS_TURN_BUDGET_MS: '300',
  });
});

afterAll(async () => {
  await harness?.close();
  await model?.close();
});

describe('Teams: a turn slower than its budget', () => {
  it('answers the HTTP request first, shows typing, then delivers the replies proactively, once', async () => {
    const user = teamsUser('es-ES');
    const response = await postActivity(harness.app, personalActivity(harness.connector, user, { text: 'Quiero reservar una limpieza con la Dra. Ana' }));
    expect(response.status).toBe(200);
    // Answered while the model was still thinking: no reply yet, but the bot is typing.
    expect(harness.connector.messages(user.conversationId)).toEqual([]);
    expect(model.requestCount).toBeGreaterThan(0);
    expect(harness.connector.forConversation(user.conversationId).some((r) => r.body.type === 'typing')).toBe(true);

    const [menu] = await harness.connector.waitForMessages(user.conversationId, 1);
    if (!menu) throw new Error('no menu');
    expect(readable(menu)).toMatch(/Limpieza dental/);
    expect(menu.body.attachments?.[0]?.content.actions?.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.connector.messages(user.conversationId)).toHaveLength(1);

    const metrics = await (await fetch(new URL('/metrics', harness.app.url))).text();
    expect(metrics).toMatch(/^clinic_teams_turns_over_budget_total 1$/m);
    expect(metrics).toMatch(/^clinic_teams_deliveries_total\{kind="bot",outcome="sent"\} 1$/m);
  });
});
