/**
 * Web chat channel: the patient chat page and its small JSON API (the live stream: events.ts).
 *
 * Room: a channel adapter. It converts HTTP JSON ⇄ InboundMessage / RenderedReply and
 * serves the page's static files. It never sees the statechart, the pipeline's internals,
 * or any store: everything goes through `Assistant.handle`. Text length and contents are
 * deliberately not checked here — the pipeline does that and answers with a localized notice.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { InboundMessage, RenderedReply } from '../../core/messages.js';
import { RTL_LOCALES, SUPPORTED_LOCALES, toLocale, type Locale } from '../../core/locale.js';
import type { Assistant } from '../../core/ports/assistant.js';

export interface WebchatDeps {
  assistant: Assistant;
  /** The page's own strings (title, placeholder, …) in one language: locales/<lang>/webchat.json. */
  uiStrings: (locale: Locale) => Record<string, string>;
  /** The language the page opens in before the patient (or the browser) picks one. */
  defaultLocale: Locale;
}

export type TextDirection = 'ltr' | 'rtl';

/** One reply as the page (and the tools that drive the assistant over HTTP) receive it. */
export interface WebchatReply {
  text: string;
  options?: { id: string; label: string }[];
  locale: Locale;
  dir: TextDirection;
}

/** Error body of every 4xx/5xx this channel answers. */
export interface WebchatError {
  error: string;
  reason: string;
}

/** ~16 KB: room for any message the pipeline accepts, with JSON escaping, and no more. */
export const WEBCHAT_BODY_LIMIT = 16 * 1024;

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export const conversationIdSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .regex(ID_PATTERN, { error: 'may contain only letters A–Z, a–z, digits, "_" and "-"' });

/** The body of `POST /api/webchat/messages`; every message names the field and the rule. */
export const webchatMessageSchema = z.object({
  conversationId: conversationIdSchema,
  text: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }),
  messageId: z
    .string({ error: 'must be a string when present' })
    .min(1, { error: 'must not be empty when present' })
    .max(128, { error: 'must be at most 128 characters' })
    // eslint-disable-next-line no-control-regex -- control characters (a NUL) are what is refused
    .regex(/^[^\u0000-\u001F\u007F]+$/, { error: 'must not contain control characters' })
    .optional(),
  locale: z
    .string({ error: 'must be a string when present' })
    .max(64, { error: 'must be at most 64 characters' })
    .optional(),
});

export type WebchatMessageBody = z.infer<typeof webchatMessageSchema>;

export function directionOf(locale: Locale): TextDirection {
  return RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';
}

/**
 * The HTTP body → the channel-neutral message the pipeline takes. `traceId` is the request's
 * id, which the HTTP server takes from X-Trace-ID / X-Request-ID when the caller sent one.
 */
export function toInboundMessage(
  body: WebchatMessageBody,
  extra: { traceId?: string; now?: Date; clientAddress?: string } = {},
): InboundMessage {
  const message: InboundMessage = {
    channel: 'webchat',
    conversationId: body.conversationId,
    senderId: body.conversationId,
    messageId: body.messageId ?? randomUUID(),
    text: body.text,
    at: extra.now ?? new Date(),
  };
  if (body.locale !== undefined) message.localeHint = body.locale;
  if (extra.traceId) message.traceId = extra.traceId;
  if (extra.clientAddress) message.clientAddress = extra.clientAddress;
  return message;
}

export function toWebchatReply(reply: RenderedReply): WebchatReply {
  const out: WebchatReply = { text: reply.text, locale: reply.locale, dir: directionOf(reply.locale) };
  if (reply.options && reply.options.length > 0) {
    out.options = reply.options.map((option) => ({ id: option.id, label: option.label }));
  }
  return out;
}

/** The first problem zod found, as "field: why" (the body itself when it is not an object). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'body: invalid';
  if (issue.path.length === 0) return 'body: must be a JSON object';
  return `${issue.path.map(String).join('.')}: ${issue.message}`;
}

const PUBLIC_DIR = new URL('./public/', import.meta.url);

interface StaticAsset {
  file: string;
  contentType: string;
}

const ASSETS: Record<string, StaticAsset> = {
  '/webchat/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/webchat/style.css': { file: 'style.css', contentType: 'text/css; charset=utf-8' },
};

/** The page loads only its own script, style and API: nothing inline, nothing third-party. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function commonHeaders(reply: FastifyReply, contentType: string): FastifyReply {
  return reply
    .header('content-type', contentType)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** JSON that is safe inside a <script type="application/json"> element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Fills `{{name}}` in index.html in one pass: `lang` and `dir` of the default language, every
 * UI string (HTML-escaped), and `boot` (the same strings as JSON for app.js), so the page opens
 * readable and usable before its script has fetched anything.
 */
function renderPage(template: string, locale: Locale, strings: Record<string, string>): string {
  const dir = directionOf(locale);
  const values: Record<string, string> = { ...strings, lang: locale, dir };
  const boot = jsonForScript({ locale, dir, strings });
  return template.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (_match, name: string) =>
    name === 'boot' ? boot : escapeHtml(values[name] ?? ''),
  );
}

const BODY_ERROR_REASONS: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body: is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'body: does not match its Content-Length',
};

/**
 * Errors of the messages route: the ones Fastify raises before the handler runs (bad JSON,
 * wrong content type, too large) become `invalid_request` with a reason; anything else is the
 * assistant failing, logged and answered with a 500 that reveals nothing inside.
 */
function channelErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status === 413) {
    return reply.code(413).send({
      error: 'invalid_request',
      reason: `body: larger than ${WEBCHAT_BODY_LIMIT} bytes`,
    } satisfies WebchatError);
  }
  if (status === 415) {
    return reply.code(415).send({
      error: 'invalid_request',
      reason: 'body: must be sent as application/json',
    } satisfies WebchatError);
  }
  if (status >= 400 && status < 500) {
    return reply.code(400).send({
      error: 'invalid_request',
      reason: BODY_ERROR_REASONS[error.code] ?? 'body: could not be read as JSON',
    } satisfies WebchatError);
  }
  request.log.error({ err: error }, 'webchat: the assistant failed to answer');
  return reply.code(500).send({
    error: 'internal_error',
    reason: 'the assistant could not answer this message',
  } satisfies WebchatError);
}

/** Registers the page, its assets and the JSON API on `app` (no encapsulation, no plugin). */
export async function registerWebchat(app: FastifyInstance, deps: WebchatDeps): Promise<void> {
  app.get('/', async (_request, reply) => {
    const template = await readFile(new URL('index.html', PUBLIC_DIR), 'utf8');
    const html = renderPage(template, deps.defaultLocale, deps.uiStrings(deps.defaultLocale));
    return commonHeaders(reply, 'text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .send(html);
  });

  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, async (_request, reply) => {
      const body = await readFile(new URL(asset.file, PUBLIC_DIR), 'utf8');
      return commonHeaders(reply, asset.contentType).send(body);
    });
  }

  app.get<{ Params: { locale: string } }>('/api/webchat/strings/:locale', async (request, reply) => {
    const locale = toLocale(request.params.locale);
    if (!locale) {
      return reply.code(400).send({
        error: 'unsupported_locale',
        reason: `locale: "${request.params.locale}" is not one of ${SUPPORTED_LOCALES.join(', ')}`,
      } satisfies WebchatError);
    }
    return reply
      .header('cache-control', 'no-cache')
      .send({ locale, dir: directionOf(locale), strings: deps.uiStrings(locale) });
  });

  app.post(
    '/api/webchat/messages',
    { bodyLimit: WEBCHAT_BODY_LIMIT, errorHandler: channelErrorHandler },
    async (request, reply) => {
      const parsed = webchatMessageSchema.safeParse(request.body);
      if (!parsed.success) {
        return reply
          .code(400)
          .send({ error: 'invalid_request', reason: describeIssue(parsed.error) } satisfies WebchatError);
      }
      const replies = await deps.assistant.handle(toInboundMessage(parsed.data, { traceId: request.id, clientAddress: request.ip }));
      return reply.header('cache-control', 'no-store').send({ replies: replies.map(toWebchatReply) });
    },
  );
}
