import { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { createModelClient, modelSettingsFromEnv } from '../../../src/agents/client.js';
import { parseEnv } from '../../../src/config/env.js';
import { ConfigError } from '../../../src/core/errors.js';

describe('model configuration', () => {
  it('is off without OPENAI_API_KEY and OPENAI_BASE_URL', () => {
    expect(modelSettingsFromEnv(parseEnv({}))).toBeNull();
    expect(modelSettingsFromEnv(parseEnv({ OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }))).toBeNull();
  });

  it('takes a local OpenAI-compatible server with no key, with the documented defaults', () => {
    const settings = modelSettingsFromEnv(parseEnv({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1' }));
    expect(settings).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      apiKey: undefined,
      model: 'llama3.1',
      timeoutMs: 8_000,
      maxRetries: 2,
      breakerThreshold: 5,
      breakerCooldownMs: 30_000,
      azure: null,
    });
    const client = createModelClient(settings ?? expect.unreachable());
    expect(client.baseURL).toBe('http://localhost:11434/v1');
    expect(client.maxRetries).toBe(0);
  });

  it('defaults to OpenAI with a key and a current small model', () => {
    const settings = modelSettingsFromEnv(parseEnv({ OPENAI_API_KEY: 'sk-test' }));
    expect(settings?.model).toBe('gpt-4.1-mini');
    expect(createModelClient(settings ?? expect.unreachable()).baseURL).toBe('https://api.openai.com/v1');
  });

  it('uses the AzureOpenAI client for an Azure endpoint, with the model as the deployment', () => {
    const settings = modelSettingsFromEnv(
      parseEnv({ OPENAI_API_KEY: 'azure-key', AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com', OPENAI_API_VERSION: '2024-10-21', OPENAI_MODEL: 'assistant-mini' }),
    );
    const client = createModelClient(settings ?? expect.unreachable());
    expect(client).toBeInstanceOf(AzureOpenAI);
    expect((client as AzureOpenAI).deploymentName).toBe('assistant-mini');
    expect((client as AzureOpenAI).apiVersion).toBe('2024-10-21');
  });

  it('refuses incomplete or conflicting Azure settings, naming the variable', () => {
    expect(() => modelSettingsFromEnv(parseEnv({ AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com' }))).toThrow(/OPENAI_API_KEY/);
    expect(() => modelSettingsFromEnv(parseEnv({ OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com' }))).toThrow(ConfigError);
    expect(() =>
      modelSettingsFromEnv(parseEnv({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://x/v1', AZURE_OPENAI_ENDPOINT: 'https://clinic.openai.azure.com', OPENAI_API_VERSION: 'v' })),
    ).toThrow(/not both/);
    expect(() => parseEnv({ OPENAI_BASE_URL: 'localhost:11434' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => parseEnv({ OPENAI_TIMEOUT_MS: 'soon' })).toThrow(/OPENAI_TIMEOUT_MS/);
  });
});
