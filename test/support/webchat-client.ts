/**
 * A web chat client for tests that drive running apps over HTTP: posts messages, tells an
 * apology from an answer, and retries a message (same id) elsewhere until it is answered.
 */
import { createClinicRenderer } from './renderer.js';

export interface WebchatReply {
  text: string;
  locale: string;
  options?: { id: string; label: string }[];
}

export interface PostedMessage {
  conversationId: string;
  text: string;
  messageId: string;
  locale?: string;
}

/** What a post came back with: replies, an HTTP error status, or no answer at all. */
export type PostResult =
  | { kind: 'replies'; replies: WebchatReply[] }
  | { kind: 'status'; status: number }
  | { kind: 'network'; error: string };

export async function postMessage(baseUrl: string, message: PostedMessage, timeoutMs = 30_000, headers: Record<string, string> = {}): Promise<PostResult> {
  try {
    const response = await fetch(`${baseUrl}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { kind: 'status', status: response.status };
    const body = (await response.json()) as { replies: WebchatReply[] };
    return { kind: 'replies', replies: body.replies };
  } catch (error) {
    return { kind: 'network', error: error instanceof Error ? error.message : String(error) };
  }
}

/** The texts of every apology a turn can end with, in every language (the demo clinic's phone filled in). */
export async function apologyTexts(): Promise<Set<string>> {
  const renderer = await createClinicRenderer();
  const texts = new Set<string>();
  for (const locale of ['en', 'es', 'ru', 'he', 'pt'] as const) {
    for (const key of ['fallback.error', 'fallback.timeout', 'fallback.unavailable', 'fallback.in_progress']) {
      for (const reply of renderer.render([{ key }], locale)) texts.add(reply.text);
    }
  }
  return texts;
}

export function isApology(replies: WebchatReply[], apologies: Set<string>): boolean {
  return replies.length === 1 && apologies.has(replies[0]?.text ?? '');
}
