import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';

function capture(redact: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', redact }, { write: (line: string) => void lines.push(line) });
  const err = Object.assign(new Error('insert failed'), { params: ['+351 912 345 678', 'my tooth hurts'], query: 'insert into messages …' });
  logger.error({ err, text: 'my tooth hurts', senderId: '+351912345678', traceId: 't-1' }, 'turn failed');
  return lines.join('');
}

describe('logger', () => {
  it('keeps message text, sender ids and database parameters out of the logs by default', () => {
    const line = capture(true);
    expect(line).not.toContain('tooth');
    expect(line).not.toContain('912');
    expect(line).toContain('"traceId":"t-1"');
    expect(line).toContain('insert failed');
  });

  it('shows them when redaction is turned off for debugging', () => {
    expect(capture(false)).toContain('my tooth hurts');
  });
});
