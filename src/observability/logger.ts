import { pino, type Logger } from 'pino';

export type { Logger };

/** Fields that may hold message text or phone numbers; hidden unless redaction is turned off. */
const SENSITIVE_PATHS = ['text', 'senderId', 'conversationId', '*.text', '*.senderId', '*.conversationId', 'req.body'];

export function createLogger(options: { level: string; redact: boolean; name?: string; toStderr?: boolean }): Logger {
  const destination = options.toStderr ? pino.destination(2) : undefined;
  return pino({
    name: options.name ?? 'clinic-assistant',
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.redact ? { redact: { paths: SENSITIVE_PATHS, censor: '[redacted]' } } : {}),
  }, destination);
}
