import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { ConfigError } from '../core/errors.js';

/** Empty strings count as "not set", so `REDIS_URL=` selects the embedded default. */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const intInRange = (min: number, max: number, fallback: number) => {
  const message = `expected a whole number between ${min} and ${max}`;
  return z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback),
  );
};
const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false').transform((v) => v === 'true' || v === '1'),
  );
const urlWith = (protocols: string[]) =>
  optionalString.refine(
    (v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)),
    `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  );

const guid = optionalString.refine(
  (v) => v === undefined || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  'expected a GUID such as 00000000-0000-0000-0000-000000000000',
);

/** Never echoed in an error message. */
const SECRET_VARIABLES = new Set(['OPENAI_API_KEY', 'MicrosoftAppPassword']);

export const envSchema = z.object({
  APP_ENV: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['development', 'production', 'test']).default('development')),
  HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('0.0.0.0')),
  PORT: intInRange(0, 65535, 3000),
  REDIS_URL: urlWith(['redis', 'rediss']),
  REDIS_KEY_PREFIX: optionalString,
  DATABASE_URL: urlWith(['postgres', 'postgresql']),
  DATABASE_SCHEMA: optionalString.refine((v) => v === undefined || /^[a-z_][a-z0-9_]*$/.test(v), 'expected a lowercase SQL identifier'),
  DATABASE_POOL_SIZE: intInRange(1, 200, 10),
  DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('./data')),
  CLINIC_FILE: optionalString,
  DEFAULT_LOCALE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(SUPPORTED_LOCALES).optional()),
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** When false, message text and sender ids appear in debug logs. Keep true in production. */
  LOG_REDACT: flag(true),
  INACTIVITY_MINUTES: intInRange(1, 24 * 60, 30),
  MAX_MESSAGE_LENGTH: intInRange(20, 10_000, 1000),
  RATE_LIMIT_MAX: intInRange(1, 10_000, 20),
  RATE_LIMIT_WINDOW_SECONDS: intInRange(1, 86_400, 60),
  DEDUP_TTL_SECONDS: intInRange(60, 30 * 86_400, 86_400),
  CONVERSATION_TTL_DAYS: intInRange(1, 365, 30),
  TRANSCRIPT_RETENTION_DAYS: intInRange(1, 3650, 365),
  TURN_TIMEOUT_MS: intInRange(100, 120_000, 15_000),
  /** A conversation's turn lock lapses this long after its process stopped renewing it (died or froze). */
  TURN_LOCK_LEASE_MS: intInRange(500, 120_000, 5_000),
  /** Messages per client address per RATE_LIMIT_WINDOW_SECONDS (web chat), on top of the per-sender limit. */
  RATE_LIMIT_ADDRESS_MAX: intInRange(1, 100_000, 120),
  /** A Redis command with no answer by then fails (a Redis that hangs instead of refusing). */
  REDIS_COMMAND_TIMEOUT_MS: intInRange(50, 60_000, 2_000),
  /** Opening a PostgreSQL connection (a server that accepts but never answers). */
  DATABASE_CONNECT_TIMEOUT_MS: intInRange(50, 60_000, 2_000),
  /** Waiting for a free pooled connection: queueing under load; a turn's own deadline bounds it too. */
  DATABASE_POOL_WAIT_MS: intInRange(50, 120_000, 10_000),
  /** A statement with no answer by then fails on our side; its connection is dropped. */
  DATABASE_QUERY_TIMEOUT_MS: intInRange(50, 120_000, 5_000),
  /** PostgreSQL cancels a statement running longer (statement_timeout). */
  DATABASE_STATEMENT_TIMEOUT_MS: intInRange(50, 120_000, 4_000),
  /** The whole of a request (headers and body) must arrive within this; slow uploads are cut. */
  HTTP_REQUEST_TIMEOUT_MS: intInRange(1_000, 300_000, 10_000),
  /**
   * Which proxies to trust for the client address (X-Forwarded-For): "false" (none, the default),
   * "true" (all), a number of hops, or comma-separated addresses/CIDRs.
   */
  TRUST_PROXY: z.preprocess(
    (v) => (v === '' || v === undefined ? 'false' : v),
    z.string().refine((v) => /^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/.test(v), 'expected true, false, a number of hops, or comma-separated addresses'),
  ),
  /** Live event streams the web chat keeps open per client address (per process). */
  WEBCHAT_MAX_STREAMS_PER_ADDRESS: intInRange(1, 10_000, 20),
  SHUTDOWN_TIMEOUT_MS: intInRange(0, 600_000, 30_000),
  /** How often each process looks for upcoming reminders that have no job (a crash between booking and scheduling). */
  REMINDERS_RECONCILE_SECONDS: intInRange(1, 86_400, 600),
  /** A staff console sign-in lasts this long, however active. */
  STAFF_SESSION_HOURS: intInRange(1, 720, 12),
  /** Either of these turns the language model on; without both the assistant runs on the offline NLU. */
  OPENAI_API_KEY: optionalString,
  /** OpenAI-compatible server: Azure's https://<resource>.openai.azure.com/openai/v1/, Ollama, vLLM. */
  OPENAI_BASE_URL: urlWith(['http', 'https']),
  OPENAI_MODEL: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('gpt-4.1-mini')),
  OPENAI_TIMEOUT_MS: intInRange(50, 120_000, 8_000),
  /** All model calls of one turn together (judge, agent, correction); beyond it the offline NLU answers. */
  OPENAI_TURN_BUDGET_MS: intInRange(100, 300_000, 12_000),
  OPENAI_MAX_RETRIES: intInRange(0, 5, 2),
  OPENAI_BREAKER_THRESHOLD: intInRange(1, 1_000, 5),
  OPENAI_BREAKER_COOLDOWN_SECONDS: intInRange(1, 3_600, 30),
  /** Azure OpenAI's older deployment API (AzureOpenAI client); needs OPENAI_API_VERSION, OPENAI_MODEL is the deployment. */
  AZURE_OPENAI_ENDPOINT: urlWith(['https', 'http']),
  OPENAI_API_VERSION: optionalString,
  /** Public https:// address of this app: links to the staff console from Teams, the Teams app package. */
  PUBLIC_URL: urlWith(['https', 'http']),
  /** Microsoft Teams (botbuilder); nothing of it loads unless true. Rules across these: src/config/teams.ts. */
  TEAMS_ENABLED: flag(false),
  /** The Azure Bot's app (client) id; empty turns Teams authentication off (development and test only). */
  MicrosoftAppId: guid,
  MicrosoftAppPassword: optionalString,
  /** New Azure Bots are single tenant or use a user-assigned managed identity. */
  MicrosoftAppType: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['SingleTenant', 'UserAssignedMSI'], { error: 'expected SingleTenant or UserAssignedMSI (multi-tenant bots can no longer be created)' }).default('SingleTenant'),
  ),
  MicrosoftAppTenantId: guid,
  /** A Teams turn slower than this is answered 200 at once and its replies are sent proactively. */
  TEAMS_TURN_BUDGET_MS: intInRange(100, 14_000, 5_000),
  /** Tries per message sent to the Bot Connector on 429/412/502/504 (each try is retried by botbuilder too). */
  TEAMS_SEND_MAX_ATTEMPTS: intInRange(1, 10, 4),
  /** First back-off between those tries; doubles each time, with jitter; Retry-After wins when given. */
  TEAMS_RETRY_BASE_MS: intInRange(1, 60_000, 1_000),
  /** The Teams app package (npm run teams:package): name (the clinic's by default), version, links. */
  TEAMS_APP_NAME: optionalString,
  TEAMS_APP_VERSION: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version such as 1.0.0').default('1.0.0'),
  ),
  TEAMS_PRIVACY_URL: urlWith(['https']),
  TEAMS_TERMS_URL: urlWith(['https']),
  /** Patients on the clinic's own WhatsApp number (Baileys); nothing of it loads while false. */
  WHATSAPP_ENABLED: flag(false),
  /** Names the linked number in the database and in Redis keys; one number per deployment. */
  WHATSAPP_ACCOUNT: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[a-z0-9_-]{1,40}$/, 'expected 1–40 of a-z 0-9 _ -').default('default')),
  /** WhatsApp's WebSocket endpoint; point it at a local fake for demos and tests. */
  WHATSAPP_WS_URL: urlWith(['wss', 'ws']),
  /** Hex public key of the root certificate a fake WhatsApp server signs with; refused in production. */
  WHATSAPP_NOISE_ROOT_KEY: optionalString.refine((v) => v === undefined || /^[0-9a-f]{64}$/i.test(v), 'expected 64 hex digits'),
  /** How long the socket's lease lasts without renewal: a dead owner is replaced after about this long. */
  WHATSAPP_LEASE_MS: intInRange(1_000, 300_000, 10_000),
  /** Least time between two messages to one chat, and between any two sends (jitter is added). */
  WHATSAPP_CHAT_GAP_MS: intInRange(0, 60_000, 1_000),
  WHATSAPP_SEND_GAP_MS: intInRange(0, 60_000, 250),
  /** Reconnect back-off: first delay and ceiling; after 440 (replaced elsewhere) the long pause. */
  WHATSAPP_RECONNECT_BASE_MS: intInRange(10, 600_000, 2_000),
  WHATSAPP_RECONNECT_MAX_MS: intInRange(10, 3_600_000, 120_000),
  WHATSAPP_REPLACED_PAUSE_MS: intInRange(10, 86_400_000, 900_000),
  /** Show each QR code this long (unset: WhatsApp's own 60 s for the first, 20 s for the next ones). */
  WHATSAPP_QR_ROTATE_MS: z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number({ error: 'expected a whole number between 500 and 120000' }).int().min(500).max(120_000).optional()),
  /** How long the handshake and each query may take; silence beyond it counts as 408. */
  WHATSAPP_CONNECT_TIMEOUT_MS: intInRange(500, 120_000, 20_000),
  /** Messages received while offline (append) older than this are recorded nowhere and not answered. */
  WHATSAPP_MAX_BACKLOG_HOURS: intInRange(1, 24 * 14, 24),
  /** Baileys' own log level (its lines go through the app's logger, redacted). */
  WHATSAPP_LOG_LEVEL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  ),
}).superRefine((env, context) => {
  if (env.APP_ENV === 'production' && env.WHATSAPP_NOISE_ROOT_KEY !== undefined) {
    context.addIssue({ code: 'custom', path: ['WHATSAPP_NOISE_ROOT_KEY'], message: 'only for a local fake WhatsApp server; not allowed when APP_ENV=production' });
  }
  if (env.WHATSAPP_RECONNECT_MAX_MS < env.WHATSAPP_RECONNECT_BASE_MS) {
    context.addIssue({ code: 'custom', path: ['WHATSAPP_RECONNECT_MAX_MS'], message: 'must not be smaller than WHATSAPP_RECONNECT_BASE_MS' });
  }
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; a bad value throws a ConfigError naming each variable and why. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const value = source[name];
    const shown = value === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
