/**
 * src/staff — serves the console page: src/staff/public/ at /staff/ (index.html at /staff).
 * Only plain file names with a known type are served, so no path ever leaves the folder.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiError } from './auth.js';

const PUBLIC_DIR = new URL('./public/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.([a-z0-9]+)$/;

/** The console loads only its own scripts, styles and API: nothing inline, nothing third-party. */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR');
}

async function sendFile(reply: FastifyReply, name: string): Promise<FastifyReply> {
  const extension = FILE_NAME.exec(name)?.[1];
  const contentType = extension ? CONTENT_TYPES[extension] : undefined;
  if (!contentType) return reply.code(404).send({ error: 'not_found', reason: `no file ${name} here` } satisfies ApiError);
  let body: Buffer;
  try {
    body = await readFile(new URL(name, PUBLIC_DIR));
  } catch (error) {
    if (isMissingFile(error)) return reply.code(404).send({ error: 'not_found', reason: `no file ${name} here` } satisfies ApiError);
    throw error;
  }
  reply
    .header('content-type', contentType)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
  if (extension === 'html') reply.header('content-security-policy', PAGE_CSP);
  return reply.send(body);
}

export function registerStaffPage(app: FastifyInstance): void {
  app.get('/staff', (_request, reply) => sendFile(reply, 'index.html'));
  app.get('/staff/', (_request, reply) => sendFile(reply, 'index.html'));
  app.get<{ Params: { file: string } }>('/staff/:file', (request, reply) => sendFile(reply, request.params.file));
}
