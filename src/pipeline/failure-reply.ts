import { TurnTimeoutError } from '../conversation/engine.js';
import type { MessageOutcome } from '../observability/metrics.js';
import { ConversationBusyError } from './turn-lock.js';
import { CommitOutcomeUnknownError } from './turn-work.js';

/** Node and driver codes that mean a backing service (Redis, PostgreSQL) cannot be reached. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** Error names ioredis uses when it gives up on a command or a closed connection. */
const UNREACHABLE_NAMES = new Set(['MaxRetriesPerRequestError']);
/** What ioredis and pg say when a command or query got no answer in time (a server that hangs). */
const NO_ANSWER = /Command timed out|Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout|canceling statement due to statement timeout/i;

/** The localized apology that fits what went wrong inside a turn. */
export function failureReplyKey(error: unknown): string {
  if (error instanceof ConversationBusyError) return 'fallback.in_progress';
  if (error instanceof CommitOutcomeUnknownError) return 'fallback.unavailable';
  if (error instanceof TurnTimeoutError) return 'fallback.timeout';
  return isUnreachable(error, 0) ? 'fallback.unavailable' : 'fallback.error';
}

/** How a failed message is counted in /metrics. */
export function messageOutcomeOf(error: unknown): MessageOutcome {
  if (error instanceof ConversationBusyError) return 'in_progress';
  if (error instanceof TurnTimeoutError) return 'timeout';
  return 'failed';
}

function isUnreachable(error: unknown, depth: number): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  if (UNREACHABLE_NAMES.has(error.name) || /Connection is closed|Connection terminated/i.test(error.message)) return true;
  if (NO_ANSWER.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isUnreachable(inner, depth + 1))) return true;
  return isUnreachable(error.cause, depth + 1);
}
