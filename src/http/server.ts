import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from '../observability/logger.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Prometheus text exposition, e.g. from observability/metrics.ts. */
export interface MetricsSource {
  exposition(): Promise<{ contentType: string; body: string }>;
}

/** A readiness check with no answer by then counts as failed, so /readyz answers within 2 s. */
const READINESS_CHECK_TIMEOUT_MS = 1_500;

export interface HttpServerOptions {
  logger: Logger;
  readiness: ReadinessCheck[];
  isShuttingDown: () => boolean;
  metrics?: MetricsSource;
  /** Shown in /readyz beside the checks, never making the app unready (e.g. WhatsApp's link state). */
  details?: () => Record<string, unknown>;
  /** TRUST_PROXY: which proxies' X-Forwarded-For gives the client address. */
  trustProxy?: string;
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs?: number;
}

/** Fastify with trace ids (honouring X-Trace-ID / X-Request-ID), /healthz, /readyz and /metrics. */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const app = Fastify({
    trustProxy: parseTrustProxy(options.trustProxy ?? 'false'),
    // Node checks request time limits only every connectionsCheckingInterval (30 s by default).
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout,
          headersTimeout: Math.min(60_000, requestTimeout),
          connectionsCheckingInterval: Math.min(1_000, requestTimeout),
        },
        handler,
      ),
    // A pino logger is a FastifyBaseLogger; Fastify's generic would otherwise leak into every route's type.
    loggerInstance: options.logger as FastifyBaseLogger,
    // Turns are logged by the pipeline with their trace id; per-request lines would only repeat them.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => pickTraceId(req.headers['x-trace-id']) ?? pickTraceId(req.headers['x-request-id']) ?? randomUUID(),
    bodyLimit: 64 * 1024,
  });

  cutIdleConnectionsOnClose(app);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-trace-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  const { metrics } = options;
  if (metrics) {
    app.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await metrics.exposition();
      return reply.type(contentType).send(body);
    });
  }

  app.get('/readyz', async (_request, reply) => {
    if (options.isShuttingDown()) return reply.code(503).send({ status: 'shutting_down', checks: {} });
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        const status = await checkWithin(check, READINESS_CHECK_TIMEOUT_MS);
        // The reason goes to the log only: it can name hosts and ports.
        if (status.error) options.logger.warn({ check: name, err: status.error }, 'readiness check failed');
        return [name, status.result] as const;
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, status]) => status === 'ok');
    const details = options.details?.();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks, ...(details ? { details } : {}) });
  });

  return app;
}

async function checkWithin(check: () => Promise<void>, ms: number): Promise<{ result: 'ok' | 'failed' | 'timeout'; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const outcome = await Promise.race([check().then(() => 'ok' as const), timeout]);
    return outcome === 'ok' ? { result: 'ok' } : { result: 'timeout', error: new Error(`no answer within ${ms} ms`) };
  } catch (error) {
    return { result: 'failed', error };
  } finally {
    clearTimeout(timer);
  }
}

/** "true" / "false" / a hop count / a comma-separated list of addresses, as Fastify takes it. */
export function parseTrustProxy(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
}

/**
 * Node's close() waits for every connection to end, and a connection that was opened but never
 * sent a request (HTTP clients open spare ones) only ends at the headers timeout, a minute
 * later. Once every response in flight has finished, nothing is lost by cutting what is left.
 * (Event streams count as in flight until their own preClose hooks end them.)
 */
function cutIdleConnectionsOnClose(app: FastifyInstance): void {
  let inFlight = 0;
  let onIdle: (() => void) | null = null;
  const receiving = new Set<FastifyRequest['raw']>();
  app.addHook('onRequest', async (request, reply) => {
    inFlight += 1;
    if (hasBody(request)) receiving.add(request.raw);
    reply.raw.once('close', () => {
      inFlight -= 1;
      receiving.delete(request.raw);
      if (inFlight === 0) onIdle?.();
    });
  });
  // Runs once the body has been read and parsed.
  app.addHook('preValidation', async (request) => {
    receiving.delete(request.raw);
  });
  app.addHook('preClose', async () => {
    // A request whose body is still arriving has been accepted by nobody: nothing is lost by
    // cutting it, and a slow upload must not hold the shutdown.
    for (const raw of receiving) raw.socket.destroy();
    onIdle = () => app.server.closeAllConnections();
    // Runs after this hook, once Node's close() has begun and stopped accepting connections.
    setImmediate(() => {
      if (inFlight === 0) onIdle?.();
    });
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function pickTraceId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}
