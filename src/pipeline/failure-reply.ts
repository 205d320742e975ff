import { TurnTimeoutError } from '../conversation/engine.js';

/** Node and driver codes that mean a backing service (Redis, PostgreSQL) cannot be reached. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** Error names ioredis uses when it gives up on a command or a closed connection. */
const UNREACHABLE_NAMES = new Set(['MaxRetriesPerRequestError']);

/** The localized apology that fits what went wrong inside a turn. */
export function failureReplyKey(error: unknown): string {
  if (error instanceof TurnTimeoutError) return 'fallback.timeout';
  return isUnreachable(error, 0) ? 'fallback.unavailable' : 'fallback.error';
}

function isUnreachable(error: unknown, depth: number): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  if (UNREACHABLE_NAMES.has(error.name) || /Connection is closed|Connection terminated/i.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isUnreachable(inner, depth + 1))) return true;
  return isUnreachable(error.cause, depth + 1);
}
