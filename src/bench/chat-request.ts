/** Reading a Chat Completions request the way a model would: messages, tools, tool results. */
import type { ChatMessage, ChatRequest } from './fake-openai-replies.js';

export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return (message.content ?? []).map((part) => part.text ?? '').join('');
}

/** The patient's latest message as the model saw it. */
export function lastUserText(request: ChatRequest): string {
  const users = request.messages.filter((m) => m.role === 'user');
  const last = users[users.length - 1];
  return last ? messageText(last) : '';
}

/** Tool results (the assistant's validation feedback) carried back to the model. */
export function toolResults(request: ChatRequest): string[] {
  return request.messages.filter((m) => m.role === 'tool').map(messageText);
}

export function systemText(request: ChatRequest): string {
  return request.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map(messageText)
    .join('\n');
}

export function offeredToolNames(request: ChatRequest): string[] {
  return (request.tools ?? []).map((tool) => tool.function.name);
}
