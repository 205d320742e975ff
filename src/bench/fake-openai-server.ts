/**
 * A scripted OpenAI-compatible server on 127.0.0.1: a real HTTP server that speaks the Chat
 * Completions protocol, so the real `openai` client is exercised end to end (HTTP, JSON
 * parsing, timeouts, retries) while the "model" is a queue of scripted answers. Used by the
 * tests and by `npm run bench -- --mode model`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, toWire, type ChatRequest, type FakeReply, type Responder } from './fake-openai-replies.js';

export { reply, estimateTokens, type ChatMessage, type ChatRequest, type FakeReply, type OfferedTool, type Responder } from './fake-openai-replies.js';

export interface FakeOpenAiOptions {
  /** Answers requests when the queue is empty (default: plain text "I am not sure."). */
  defaultResponder?: Responder;
  /** Extra latency per answered request, drawn uniformly from [min, max] ms. */
  latencyMs?: { min: number; max: number };
}

export interface TokenTotals {
  prompt: number;
  completion: number;
}

interface QueuedAnswer {
  matches: (request: ChatRequest) => boolean;
  answer: FakeReply | Responder;
}

/** Requests from the tool loop (they offer tools), as opposed to structured-output questions. */
export const offersTools = (request: ChatRequest): boolean => (request.tools?.length ?? 0) > 0;

const COMPLETIONS_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);

export class FakeOpenAiServer {
  /** Every chat-completions request body received, parsed, in arrival order. */
  readonly requests: ChatRequest[] = [];
  /** Tokens reported in `usage` over all answered requests. */
  readonly tokens: TokenTotals = { prompt: 0, completion: 0 };
  private readonly queue: QueuedAnswer[] = [];
  private defaultResponder: Responder;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly latency: FakeOpenAiOptions['latencyMs'],
    defaultResponder: Responder,
  ) {
    this.defaultResponder = defaultResponder;
  }

  static async start(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
    let self: FakeOpenAiServer | null = null;
    const server = createServer((req, res) => {
      if (self) void self.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    self = new FakeOpenAiServer(server, `http://127.0.0.1:${port}`, options.latencyMs, options.defaultResponder ?? (() => ({ kind: 'text', content: 'I am not sure.' })));
    return self;
  }

  /** The value for OPENAI_BASE_URL. */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  get requestCount(): number {
    return this.requests.length;
  }

  /** Answers for the next requests, in order; each is a reply or a function of the request. */
  enqueue(...answers: (FakeReply | Responder)[]): void {
    this.enqueueWhen(() => true, ...answers);
  }

  /** Answers kept for the next requests that match, e.g. only those offering tools; others get the default. */
  enqueueWhen(matches: (request: ChatRequest) => boolean, ...answers: (FakeReply | Responder)[]): void {
    this.queue.push(...answers.map((answer) => ({ matches, answer })));
  }

  setDefaultResponder(responder: Responder): void {
    this.defaultResponder = responder;
  }

  /** Forgets recorded requests, token totals and queued answers. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.tokens.prompt = 0;
    this.tokens.completion = 0;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Delayed answers hold connections open; a closing test must not wait for them.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      return send(res, 200, 'application/json', JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'tests' }] }));
    }
    if (req.method !== 'POST' || !COMPLETIONS_PATHS.has(path)) {
      return send(res, 404, 'application/json', errorBody(404, `No route ${req.method} ${path}`));
    }
    let request: ChatRequest;
    try {
      request = JSON.parse(await readBody(req)) as ChatRequest;
    } catch {
      return send(res, 400, 'application/json', errorBody(400, 'The request body is not valid JSON.'));
    }
    this.requests.push(request);
    let answer: FakeReply;
    try {
      const next = this.takeQueued(request) ?? this.defaultResponder;
      answer = typeof next === 'function' ? await next(request) : next;
    } catch (error) {
      // A broken script shows up as a server error the test can see, not a hung request.
      answer = { kind: 'http_error', status: 500, message: `scripted responder failed: ${String(error)}` };
    }
    let waitMs = this.drawLatency();
    while (answer.kind === 'delay') {
      waitMs += answer.ms;
      answer = answer.then;
    }
    if (waitMs > 0 && !(await waitUnlessGone(res, waitMs))) return;
    const wire = toWire(request, answer);
    this.tokens.prompt += wire.usage.prompt;
    this.tokens.completion += wire.usage.completion;
    send(res, wire.status, wire.contentType, wire.body);
  }

  private takeQueued(request: ChatRequest): FakeReply | Responder | undefined {
    const index = this.queue.findIndex((queued) => queued.matches(request));
    return index < 0 ? undefined : this.queue.splice(index, 1)[0]?.answer;
  }

  private drawLatency(): number {
    if (!this.latency) return 0;
    const { min, max } = this.latency;
    return min + Math.random() * (max - min);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves true after `ms`, or false as soon as the client hangs up (it timed out). */
function waitUnlessGone(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'x-request-id': `req_fake_${Date.now()}` });
  res.end(body);
}
