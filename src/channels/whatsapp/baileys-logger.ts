/**
 * Baileys' log lines through the app's logger, at Baileys' own level (WHATSAPP_LOG_LEVEL), with
 * phone numbers and addresses masked unless LOG_REDACT=false.
 */
import type { ILogger } from '@whiskeysockets/baileys/lib/Utils/logger.js';
import type { Logger } from '../../observability/logger.js';
import { redactText, redactValue } from './redact.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type Level = (typeof LEVELS)[number];
type Method = Exclude<Level, 'fatal' | 'silent'>;

export function baileysLogger(logger: Logger, level: Level, redact: boolean): ILogger {
  const threshold = LEVELS.indexOf(level);
  const make = (target: Logger): ILogger => {
    const write = (method: Method) => (obj: unknown, msg?: string) => {
      if (LEVELS.indexOf(method) < threshold) return;
      // Baileys calls both logger.warn('text') and logger.warn({fields}, 'text').
      const text = msg ?? (typeof obj === 'string' ? obj : undefined);
      const fields = typeof obj === 'object' && obj !== null ? obj : typeof obj === 'string' && msg === undefined ? {} : { value: obj };
      const safeFields = redact ? redactValue(fields) : fields;
      target[method](safeFields as object, text === undefined ? undefined : redact ? redactText(text) : text);
    };
    return {
      level,
      child: (bindings) => make(target.child(redact ? (redactValue(bindings) as Record<string, unknown>) : bindings)),
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    };
  };
  return make(logger.child({ module: 'baileys' }));
}
