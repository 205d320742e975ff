/**
 * Server-Sent Events over a raw response that a route took over from Fastify
 * (`reply.hijack()`): the web chat's stream for patients and the console's for staff.
 */
import type { ServerResponse } from 'node:http';

/** Sends the stream's headers and its first lines (the reconnect delay, a greeting). */
export function startEventStream(response: ServerResponse, opening: { retryMs: number; greeting: string }): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
    // Reverse proxies (nginx) would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  });
  response.write(`retry: ${opening.retryMs}\n${opening.greeting}\n\n`);
}

/** One named event; JSON.stringify never emits a raw newline, so the payload is one `data:` line. */
export function eventFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const KEEP_ALIVE_FRAME = ': keep-alive\n\n';
