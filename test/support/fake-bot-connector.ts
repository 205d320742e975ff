/**
 * A fake Bot Connector on 127.0.0.1: the HTTP side of Microsoft's service that a bot sends its
 * replies to (the activity's serviceUrl). It speaks the real Bot Framework REST protocol —
 * POST /v3/conversations/{id}/activities[/{replyToId}], PUT …/activities/{id},
 * GET …/members/{userId} — records every request, and can be told to fail the next messages
 * of a conversation (429 with Retry-After, 412, 502, 403 …).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorRequest {
  method: string;
  /** Decoded conversation id from the path. */
  conversationId: string;
  /** The replyToId of a POST, or the updated activity's id of a PUT. */
  activityId: string | null;
  /** The id this connector gave the activity (POST) — what a later PUT refers to. */
  assignedId: string | null;
  body: Activityish;
  /** The HTTP status this connector answered. */
  status: number;
}

export interface Activityish {
  type?: string;
  text?: string;
  summary?: string;
  locale?: string;
  replyToId?: string;
  attachments?: { contentType: string; content: CardContent }[];
  [key: string]: unknown;
}

export interface CardContent {
  type?: string;
  rtl?: boolean;
  lang?: string;
  fallbackText?: string;
  body?: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; data?: Record<string, string>; url?: string }[];
}

export interface ScriptedFailure {
  status: number;
  headers?: Record<string, string>;
  /** Only for a message with this text (by default, the next message whatever it says). */
  text?: string;
}

export interface Member {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
}

const ACTIVITY_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;
const MEMBER_PATH = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/;

export class FakeBotConnector {
  readonly requests: ConnectorRequest[] = [];
  readonly members = new Map<string, Member>();
  private readonly failures = new Map<string, ScriptedFailure[]>();
  private readonly delays = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    /** The serviceUrl to put in activities (with a trailing slash, as Teams sends it). */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeBotConnector> {
    let self: FakeBotConnector | null = null;
    const server = createServer((req, res) => {
      if (self) void self.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    self = new FakeBotConnector(server, `http://127.0.0.1:${port}/`);
    return self;
  }

  /** The next message activities posted to this conversation get these answers, in order. */
  failNextMessages(conversationId: string, ...failures: ScriptedFailure[]): void {
    this.failures.set(conversationId, [...(this.failures.get(conversationId) ?? []), ...failures]);
  }

  /** Messages to this conversation are answered only after `ms` (a slow connector). */
  slowDown(conversationId: string, ms: number): void {
    this.delays.set(conversationId, ms);
  }

  /** Message activities accepted (answered 2xx) for a conversation, in order. */
  messages(conversationId: string): ConnectorRequest[] {
    return this.requests.filter((r) => r.conversationId === conversationId && r.method === 'POST' && r.body.type === 'message' && r.status < 300);
  }

  /** Every request for a conversation, failed ones included. */
  forConversation(conversationId: string): ConnectorRequest[] {
    return this.requests.filter((r) => r.conversationId === conversationId);
  }

  /** Resolves when `check` holds, re-checked on every request; fails after `timeoutMs`. */
  async waitFor<T>(check: () => T | null | undefined | false, timeoutMs = 10_000, what = 'the expected connector requests'): Promise<T> {
    const first = check();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.requests.map((r) => [r.method, r.body.type, r.status]))}`));
      }, timeoutMs);
      const waiter = (): void => {
        const value = check();
        if (!value) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits until at least `count` messages were accepted for the conversation. */
  async waitForMessages(conversationId: string, count: number, timeoutMs = 10_000): Promise<ConnectorRequest[]> {
    return this.waitFor(() => {
      const found = this.messages(conversationId);
      return found.length >= count ? found : null;
    }, timeoutMs, `${count} message(s)`);
  }

  private takeFailure(conversationId: string, body: Activityish): ScriptedFailure | undefined {
    const queued = this.failures.get(conversationId) ?? [];
    const index = queued.findIndex((failure) => failure.text === undefined || failure.text === body.text);
    return index < 0 ? undefined : queued.splice(index, 1)[0];
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURI((req.url ?? '/').split('?')[0] ?? '/');
    const raw = await readBody(req);
    const member = MEMBER_PATH.exec(path);
    if (req.method === 'GET' && member) {
      const found = this.members.get(decodeURIComponent(member[2] ?? ''));
      return found ? send(res, 200, found) : send(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'no such member' } });
    }
    const match = ACTIVITY_PATH.exec(path);
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) return send(res, 404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
    const conversationId = decodeURIComponent(match[1] ?? '');
    const activityId = match[2] ? decodeURIComponent(match[2]) : null;
    let body: Activityish;
    try {
      body = JSON.parse(raw) as Activityish;
    } catch {
      return send(res, 400, { error: { code: 'BadArgument', message: 'body is not JSON' } });
    }
    const delay = body.type === 'message' ? this.delays.get(conversationId) : undefined;
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const failure = body.type === 'message' ? this.takeFailure(conversationId, body) : undefined;
    const status = failure?.status ?? 200;
    const assignedId = req.method === 'POST' && !failure ? randomUUID() : null;
    this.requests.push({ method: req.method, conversationId, activityId, assignedId, body, status });
    for (const waiter of [...this.waiters]) waiter();
    if (failure) return send(res, failure.status, { error: { code: 'Scripted', message: `scripted ${failure.status}` } }, failure.headers);
    return send(res, 200, { id: assignedId ?? activityId ?? '' });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
