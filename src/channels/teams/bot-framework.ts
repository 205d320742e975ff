/**
 * The only file that imports botbuilder: the CloudAdapter with its authentication
 * configuration, the Fastify route for POST /api/messages that feeds it, in-turn sends and
 * proactive sends.
 * Everything else in this folder speaks the Activity protocol through `BotConnection` and
 * `TeamsTurn`, so moving to the Microsoft 365 Agents SDK (@microsoft/agents-hosting) means
 * rewriting this file only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  DeliveryModes,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
import type { TeamsReference } from '../../core/ports/teams.js';
import type { TeamsSettings } from '../../config/teams.js';
import type { OutgoingActivity } from './activity.js';

/** One inbound activity while its HTTP request is open. */
export interface TeamsTurn {
  /** The activity as received (authenticated; parse it before use). */
  readonly activity: unknown;
  /** The caller wants the replies in the HTTP answer (deliveryMode: expectReplies). */
  readonly expectsReplies: boolean;
  /** Where this conversation can be reached later: a ConversationReference as plain JSON. */
  reference(): TeamsReference;
  /** Where to start a new post in a team channel (`channelId` from the activity's channelData). */
  channelReference(channelId: string): TeamsReference;
  /** The activity's text without the @mention of this bot. */
  textWithoutBotMention(): string;
  /** False once the HTTP answer has gone: then only proactive sends reach the conversation. */
  isOpen(): boolean;
  /** Sends within the turn (buffered into the answer with expectReplies). */
  send(activities: OutgoingActivity[]): Promise<void>;
  /** The member's email (or user principal name) as Teams knows it. */
  memberEmail(userId: string): Promise<string | null>;
}

export interface SendOptions {
  /** Reply to the activity the reference points at (the conversation's latest message) instead of posting anew. */
  asReply: boolean;
}

/** What the rest of the channel needs from the Bot Framework. */
export interface BotConnection {
  /** Registers POST /api/messages; `onTurn` runs for every authenticated activity. */
  registerRoute(app: FastifyInstance, onTurn: (turn: TeamsTurn) => Promise<void>): void;
  /** Sends into a stored conversation, outside any turn; returns the ids Teams gave the activities. */
  send(reference: TeamsReference, activities: OutgoingActivity[], options: SendOptions): Promise<string[]>;
  /** Replaces an activity sent earlier (a staff alert card that changed). */
  update(reference: TeamsReference, activityId: string, activity: OutgoingActivity): Promise<void>;
}

/** A Bot Connector call that failed; `status` is the HTTP status when there was an answer. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** From Retry-After, when the connector said how long to wait. */
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorError';
  }
}

export interface BotConnectionLog {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** Teams' activities are at most ~100 KB; a little room for the envelope. */
const BODY_LIMIT = 256 * 1024;

function authentication(settings: TeamsSettings): ConfigurationBotFrameworkAuthentication {
  // An empty app id turns authentication off (development and test only; src/config/teams.ts
  // refuses it in production). botbuilder accepts that only without an app type.
  const options = settings.appId
    ? {
        MicrosoftAppId: settings.appId,
        MicrosoftAppPassword: settings.appPassword,
        MicrosoftAppType: settings.appType,
        MicrosoftAppTenantId: settings.tenantId,
      }
    : { MicrosoftAppId: '' };
  return new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options));
}

export function createBotConnection(settings: TeamsSettings, log: BotConnectionLog): BotConnection {
  // No onTurnError: a failing turn rejects, so an inbound one is answered 500 (Teams delivers it
  // again) and a proactive one fails its send() for the caller to retry or record.
  const adapter = new FastifyCloudAdapter(authentication(settings));

  async function proactive(reference: TeamsReference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    try {
      await adapter.continueConversationAsync(settings.appId, toReference(reference), logic);
    } catch (error) {
      throw toConnectorError(error);
    }
  }

  return {
    registerRoute(app, onTurn) {
      app.post('/api/messages', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
        const activity = activityOf(request.body);
        if (!activity) return reply.code(400).send({ error: 'invalid_activity', reason: 'body: must be an Activity (a JSON object with a "type")' });
        try {
          const answer = await adapter.run(authorizationOf(request), activity, async (context) => {
            const turn = openTurn(context);
            try {
              await onTurn(turn.api);
            } finally {
              turn.close();
            }
          });
          reply.code(answer?.status ?? 200);
          return answer?.body === undefined ? reply.send() : reply.send(answer.body);
        } catch (error) {
          return reply.code(failureStatus(error, log)).send();
        }
      });
    },

    async send(reference, activities, options) {
      const ids: string[] = [];
      await proactive(reference, async (context) => {
        // The continuation activity has a made-up id; point replies at the conversation's latest
        // message instead (as an in-turn reply would), or at nothing to start a new post.
        const latest = typeof reference.activityId === 'string' ? reference.activityId : '';
        context.activity.id = options.asReply ? latest : '';
        const responses = await context.sendActivities(activities.map(toBotActivity));
        ids.push(...responses.map((response) => response?.id ?? ''));
      });
      return ids;
    },

    async update(reference, activityId, activity) {
      await proactive(reference, async (context) => {
        await context.updateActivity({ ...toBotActivity(activity), id: activityId });
      });
    },
  };
}

function openTurn(context: TurnContext): { api: TeamsTurn; close(): void } {
  let open = true;
  const api: TeamsTurn = {
    activity: context.activity,
    expectsReplies: context.activity.deliveryMode === DeliveryModes.ExpectReplies,
    reference: () => plainJson(TurnContext.getConversationReference(context.activity)),
    channelReference(channelId) {
      const reference = TurnContext.getConversationReference(context.activity);
      // No activity id: posts start a thread of their own instead of replying in this one.
      return plainJson({ ...reference, activityId: undefined, conversation: { ...reference.conversation, id: channelId } });
    },
    textWithoutBotMention() {
      const text = context.activity.text;
      if (typeof text !== 'string') return '';
      // removeRecipientMention rewrites the text of the activity it is given: hand it a copy.
      return TurnContext.removeRecipientMention({ ...context.activity, text }) ?? '';
    },
    isOpen: () => open,
    async send(activities) {
      if (!open) throw new Error('teams: the turn has ended; send proactively instead');
      try {
        await context.sendActivities(activities.map(toBotActivity));
      } catch (error) {
        throw toConnectorError(error);
      }
    },
    async memberEmail(userId) {
      try {
        const member = await TeamsInfo.getMember(context, userId);
        return member.email ?? member.userPrincipalName ?? null;
      } catch (error) {
        throw toConnectorError(error);
      }
    },
  };
  return { api, close: () => (open = false) };
}

/**
 * CloudAdapter.process() without its HTTP plumbing: the Fastify route hands it the parsed
 * activity and the Authorization header, and maps the outcome to the answer itself — so
 * refused requests are logged as structured lines, not printed to the console by botbuilder.
 */
class FastifyCloudAdapter extends CloudAdapter {
  run(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/** The body when it is an activity at all (botbuilder checks the rest after authenticating). */
function activityOf(body: unknown): Activity | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const type: unknown = Reflect.get(body, 'type');
  // Parsed JSON from the request; botbuilder reads it as the Activity it claims to be.
  return typeof type === 'string' && type.length > 0 ? (body as Activity) : null;
}

function authorizationOf(request: FastifyRequest): string {
  const value = request.headers.authorization;
  return typeof value === 'string' ? value : '';
}

/** 401 for a missing or invalid token (botbuilder's AuthenticationError), 500 for the rest. */
function failureStatus(error: unknown, log: BotConnectionLog): number {
  const status = numberField(error, 'statusCode');
  if (!(error instanceof ConnectorError) && (status === 401 || status === 403)) {
    log.warn({ status }, 'teams: activity refused: not authenticated');
    return 401;
  }
  // Connector errors carry the request they failed on: log only their status.
  log.error(error instanceof ConnectorError ? { status: error.status, reason: error.message } : { err: error }, 'teams: turn failed');
  return 500;
}

function toReference(reference: TeamsReference): Partial<ConversationReference> {
  // Stored by this file from TurnContext.getConversationReference, so the shape is botbuilder's.
  return reference as Partial<ConversationReference>;
}

function toBotActivity(activity: OutgoingActivity): Partial<Activity> {
  return { ...activity };
}

function plainJson(value: unknown): TeamsReference {
  return JSON.parse(JSON.stringify(value)) as TeamsReference;
}

/** The HTTP status and Retry-After of a failed connector call (an @azure/core RestError), if any. */
function toConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const status = numberField(error, 'statusCode');
  const retryAfterMs = parseRetryAfter(headerOf(error, 'retry-after'));
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError(status ? `Bot Connector answered ${status}: ${message}` : `Bot Connector unreachable: ${message}`, status, retryAfterMs, {
    cause: error,
  });
}

function numberField(value: unknown, field: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(field in value)) return undefined;
  const found: unknown = Reflect.get(value, field);
  return typeof found === 'number' ? found : undefined;
}

function headerOf(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const response: unknown = Reflect.get(error, 'response');
  if (typeof response !== 'object' || response === null) return undefined;
  const headers: unknown = Reflect.get(response, 'headers');
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get: unknown = Reflect.get(headers, 'get');
  if (typeof get !== 'function') return undefined;
  const value: unknown = get.call(headers, name);
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After is whole seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
