import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Fields that may hold message text or phone numbers; hidden unless redaction is turned off. */
// Database errors (PGlite's in particular) carry the statement's parameters, e.g. a transcript line.
const SENSITIVE_PATHS = [
  'text',
  'senderId',
  'conversationId',
  '*.text',
  '*.senderId',
  '*.conversationId',
  'req.body',
  'err.params',
  'err.query',
  'err.parameters',
];

export function createLogger(
  options: { level: string; redact: boolean; name?: string; toStderr?: boolean },
  stream?: DestinationStream,
): Logger {
  const destination = stream ?? (options.toStderr ? pino.destination(2) : undefined);
  return pino({
    name: options.name ?? 'clinic-assistant',
    level: options.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.redact ? { redact: { paths: SENSITIVE_PATHS, censor: '[redacted]' } } : {}),
  }, destination);
}
