import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.js';
import { teamsSettingsFromEnv } from '../../../src/config/teams.js';
import { ConfigError } from '../../../src/core/errors.js';

const APP_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const TENANT = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

function settings(env: Record<string, string>) {
  return teamsSettingsFromEnv(parseEnv({ TEAMS_ENABLED: 'true', ...env }));
}

function problem(env: Record<string, string>): string {
  try {
    settings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no ConfigError');
}

describe('Teams settings', () => {
  it('are null unless TEAMS_ENABLED is true', () => {
    expect(teamsSettingsFromEnv(parseEnv({ MicrosoftAppId: APP_ID }))).toBeNull();
  });

  it('allow authentication off in development and test, never in production', () => {
    expect(settings({ APP_ENV: 'development' })?.appId).toBe('');
    expect(settings({ APP_ENV: 'test' })?.appId).toBe('');
    expect(problem({ APP_ENV: 'production' })).toMatch(/MicrosoftAppId: required with TEAMS_ENABLED=true in production/);
  });

  it('need a tenant and a secret for a single-tenant bot, and no secret for a managed identity', () => {
    expect(settings({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret', MicrosoftAppTenantId: TENANT })).toMatchObject({ appType: 'SingleTenant', tenantId: TENANT });
    expect(problem({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT })).toMatch(/MicrosoftAppPassword: required with MicrosoftAppType=SingleTenant/);
    expect(problem({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret' })).toMatch(/MicrosoftAppTenantId: required/);
    expect(settings({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT })?.appType).toBe('UserAssignedMSI');
    expect(problem({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT, MicrosoftAppPassword: 'x' })).toMatch(
      /MicrosoftAppPassword: must be empty with MicrosoftAppType=UserAssignedMSI/,
    );
  });

  it('refuse multi-tenant bots and malformed ids, and never echo the secret', () => {
    expect(() => parseEnv({ MicrosoftAppType: 'MultiTenant' })).toThrow(/MicrosoftAppType: expected SingleTenant or UserAssignedMSI/);
    expect(() => parseEnv({ MicrosoftAppId: 'my-bot' })).toThrow(/MicrosoftAppId: expected a GUID/);
    expect(problem({ MicrosoftAppPassword: 'hunter2-secret' })).not.toContain('hunter2');
  });
});
