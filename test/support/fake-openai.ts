/**
 * The scripted OpenAI-compatible server for tests (one implementation, shared with the bench
 * in src/bench/), plus helpers to read what the assistant sent it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export { FakeOpenAiServer, offersTools, reply, type ChatRequest, type FakeReply, type Responder } from '../../src/bench/fake-openai-server.js';
export { lastUserText, messageText, offeredToolNames, systemText, toolResults } from '../../src/bench/chat-request.js';

/** A base URL on which nothing listens: the model is "down" (connection refused). */
export async function unreachableBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
