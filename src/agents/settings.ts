/**
 * The model settings from the validated environment. Kept apart from client.ts so deciding
 * whether a model is configured never loads the `openai` package.
 */
import { ConfigError } from '../core/errors.js';
import type { Env } from '../config/env.js';

export interface ModelSettings {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string;
  timeoutMs: number;
  /** The time all model calls of one turn may take together. */
  turnBudgetMs: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  azure: { endpoint: string; apiVersion: string } | null;
}

/** The model settings, or null when no model is configured (the offline NLU runs alone). */
export function modelSettingsFromEnv(env: Env): ModelSettings | null {
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    if (env.AZURE_OPENAI_ENDPOINT) throw new ConfigError('Invalid configuration:\n  AZURE_OPENAI_ENDPOINT: set OPENAI_API_KEY to the Azure key as well');
    return null;
  }
  if (env.AZURE_OPENAI_ENDPOINT && !env.OPENAI_API_VERSION) {
    throw new ConfigError('Invalid configuration:\n  OPENAI_API_VERSION: required with AZURE_OPENAI_ENDPOINT (e.g. 2024-10-21)');
  }
  if (env.AZURE_OPENAI_ENDPOINT && env.OPENAI_BASE_URL) {
    throw new ConfigError('Invalid configuration:\n  AZURE_OPENAI_ENDPOINT: set either it or OPENAI_BASE_URL, not both');
  }
  return {
    apiKey: env.OPENAI_API_KEY,
    baseUrl: env.OPENAI_BASE_URL,
    model: env.OPENAI_MODEL,
    timeoutMs: env.OPENAI_TIMEOUT_MS,
    turnBudgetMs: env.OPENAI_TURN_BUDGET_MS,
    maxRetries: env.OPENAI_MAX_RETRIES,
    breakerThreshold: env.OPENAI_BREAKER_THRESHOLD,
    breakerCooldownMs: env.OPENAI_BREAKER_COOLDOWN_SECONDS * 1000,
    azure: env.AZURE_OPENAI_ENDPOINT && env.OPENAI_API_VERSION ? { endpoint: env.AZURE_OPENAI_ENDPOINT, apiVersion: env.OPENAI_API_VERSION } : null,
  };
}
