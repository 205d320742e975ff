/**
 * Teams authentication on the running app: with an app id configured, botbuilder checks the
 * bearer token of every activity; without one (authentication off) production refuses to start.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { ConfigError } from '../../src/core/errors.js';
import { personalActivity, postActivity, startTeamsApp, teamsUser, type TeamsHarness } from '../support/teams.js';

const APP_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const TENANT_ID = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

let harness: TeamsHarness;

beforeAll(async () => {
  harness = await startTeamsApp('teams_auth', {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TENANT_ID,
  });
});

afterAll(async () => harness?.close());

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A well-formed JWT for this bot, signed by someone who is not the Bot Framework. */
function forgedToken(): string {
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const now = Math.floor(Date.now() / 1000);
  const payload = base64url({ iss: 'https://login.attacker.example/', aud: APP_ID, serviceurl: harness.connector.url, iat: now, nbf: now, exp: now + 600 });
  const signature = createHmac('sha256', 'guess').update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('Teams authentication with an app id', () => {
  const cases: [string, Record<string, string>][] = [
    ['no token', {}],
    ['a bogus token', { authorization: 'Bearer not-a-token' }],
    ['a token from an unknown issuer', {}],
  ];
  it.each(cases)('answers 401 to an activity with %s, and the bot sends nothing', async (label, headers) => {
    const user = teamsUser('en-US');
    const auth = label === 'a token from an unknown issuer' ? { authorization: `Bearer ${forgedToken()}` } : headers;
    const response = await postActivity(harness.app, personalActivity(harness.connector, user, { text: 'hello' }), auth);
    expect(response.status).toBe(401);
    expect(harness.connector.forConversation(user.conversationId)).toEqual([]);
    expect(await harness.app.runtime.records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId })).toBeNull();
  });
});

describe('Teams configuration at start-up', () => {
  it('refuses to start in production with Teams on and no app id, naming the variable', async () => {
    const start = startApp({ APP_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', TEAMS_ENABLED: 'true', MicrosoftAppId: '' }, { watchLocales: false });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/MicrosoftAppId: required with TEAMS_ENABLED=true in production/);
  });
});
