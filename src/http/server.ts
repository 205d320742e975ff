import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Prometheus text exposition, e.g. from observability/metrics.ts. */
export interface MetricsSource {
  exposition(): Promise<{ contentType: string; body: string }>;
}

/** Fastify with trace ids (honouring X-Trace-ID / X-Request-ID), /healthz, /readyz and /metrics. */
export function createHttpServer(options: {
  logger: Logger;
  readiness: ReadinessCheck[];
  isShuttingDown: () => boolean;
  metrics?: MetricsSource;
  /** Shown in /readyz beside the checks, never making the app unready (e.g. WhatsApp's link state). */
  details?: () => Record<string, unknown>;
}): FastifyInstance {
  const app = Fastify({
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
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `failed: ${(error as Error).message}`] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, status]) => status === 'ok');
    const details = options.details?.();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks, ...(details ? { details } : {}) });
  });

  return app;
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
  app.addHook('onRequest', async (_request, reply) => {
    inFlight += 1;
    reply.raw.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) onIdle?.();
    });
  });
  app.addHook('preClose', async () => {
    onIdle = () => app.server.closeAllConnections();
    // Runs after this hook, once Node's close() has begun and stopped accepting connections.
    setImmediate(() => {
      if (inFlight === 0) onIdle?.();
    });
  });
}

function pickTraceId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}
