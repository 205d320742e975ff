/**
 * Builds the `openai` client from our validated settings, never from the library's own reads
 * of process.env, so what runs is what `parseEnv` checked. Three shapes:
 * - OpenAI itself: OPENAI_API_KEY.
 * - Any OpenAI-compatible server (Azure OpenAI's v1 endpoint
 *   https://<resource>.openai.azure.com/openai/v1/, Ollama, vLLM): OPENAI_BASE_URL, a key if
 *   the server wants one.
 * - Azure OpenAI's older deployment API: AZURE_OPENAI_ENDPOINT + OPENAI_API_VERSION, with
 *   OPENAI_MODEL naming the deployment (the `AzureOpenAI` class).
 * The client never retries on its own (maxRetries 0): timeouts, retries and the circuit
 * breaker are ours (resilience.ts), so they are counted and bounded in one place.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import type { ModelSettings } from './settings.js';

export { modelSettingsFromEnv, type ModelSettings } from './settings.js';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Local servers (Ollama, vLLM) ignore the key, but the client insists on one. */
const PLACEHOLDER_KEY = 'not-needed';

export function createModelClient(settings: ModelSettings): OpenAI {
  const common = { maxRetries: 0, timeout: settings.timeoutMs, organization: null, project: null };
  if (settings.azure) {
    return new AzureOpenAI({
      ...common,
      endpoint: settings.azure.endpoint,
      apiVersion: settings.azure.apiVersion,
      deployment: settings.model,
      apiKey: settings.apiKey ?? PLACEHOLDER_KEY,
    });
  }
  return new OpenAI({
    ...common,
    apiKey: settings.apiKey ?? PLACEHOLDER_KEY,
    baseURL: settings.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
  });
}
