/**
 * The Teams channel's settings from the validated environment, with the rules that span several
 * variables. Kept apart from the channel so deciding whether Teams is on never loads botbuilder.
 */
import { ConfigError } from '../core/errors.js';
import type { Env } from './env.js';

export interface TeamsSettings {
  /** Empty when authentication is off: allowed in development and test only. */
  appId: string;
  appPassword: string | undefined;
  appType: Env['MicrosoftAppType'];
  tenantId: string | undefined;
  /** After this the HTTP turn answers 200 and the replies go proactively. */
  turnBudgetMs: number;
  send: { maxAttempts: number; retryBaseMs: number };
  /** Links from Teams cards to the staff console; none without it. */
  publicUrl: string | undefined;
}

function invalid(lines: string[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
}

function credentialProblems(env: Env): string[] {
  const problems: string[] = [];
  if (!env.MicrosoftAppId) {
    if (env.APP_ENV === 'production') {
      problems.push(
        'MicrosoftAppId: required with TEAMS_ENABLED=true in production (an empty app id turns authentication off, so anyone could make the bot post anywhere)',
      );
    }
    if (env.MicrosoftAppPassword) problems.push('MicrosoftAppPassword: set, but MicrosoftAppId is empty; set both or neither');
    return problems;
  }
  if (!env.MicrosoftAppTenantId) problems.push(`MicrosoftAppTenantId: required with MicrosoftAppType=${env.MicrosoftAppType} (your Microsoft Entra tenant id)`);
  if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppPassword) {
    problems.push('MicrosoftAppPassword: required with MicrosoftAppType=SingleTenant (a client secret of the app registration)');
  }
  if (env.MicrosoftAppType === 'UserAssignedMSI' && env.MicrosoftAppPassword) {
    problems.push('MicrosoftAppPassword: must be empty with MicrosoftAppType=UserAssignedMSI (the managed identity needs no secret)');
  }
  return problems;
}

/** The settings when TEAMS_ENABLED is true, else null; a bad combination throws a ConfigError naming the variable. */
export function teamsSettingsFromEnv(env: Env): TeamsSettings | null {
  if (!env.TEAMS_ENABLED) return null;
  const problems = credentialProblems(env);
  if (problems.length > 0) throw invalid(problems);
  return {
    appId: env.MicrosoftAppId ?? '',
    appPassword: env.MicrosoftAppPassword,
    appType: env.MicrosoftAppType,
    tenantId: env.MicrosoftAppTenantId,
    turnBudgetMs: env.TEAMS_TURN_BUDGET_MS,
    send: { maxAttempts: env.TEAMS_SEND_MAX_ATTEMPTS, retryBaseMs: env.TEAMS_RETRY_BASE_MS },
    publicUrl: env.PUBLIC_URL,
  };
}
