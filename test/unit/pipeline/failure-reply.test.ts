import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TurnTimeoutError } from '../../../src/conversation/engine.js';
import { failureReplyKey } from '../../../src/pipeline/failure-reply.js';

async function realConnectionError(): Promise<unknown> {
  // A port nothing listens on: reserve one, then close it.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 1000 });
  return client.connect().then(
    () => new Error('unexpectedly connected'),
    (error: unknown) => error,
  );
}

describe('failureReplyKey', () => {
  it('tells the patient the service is unavailable when a database cannot be reached', async () => {
    expect(failureReplyKey(await realConnectionError())).toBe('fallback.unavailable');
  });

  it('looks through causes', async () => {
    expect(failureReplyKey(new Error('booking failed', { cause: await realConnectionError() }))).toBe('fallback.unavailable');
  });

  it('keeps timeouts and other failures apart', () => {
    expect(failureReplyKey(new TurnTimeoutError(100))).toBe('fallback.timeout');
    expect(failureReplyKey(new Error('relation "appointments" does not exist'))).toBe('fallback.error');
    expect(failureReplyKey('not even an error')).toBe('fallback.error');
  });
});
