import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../../src/pipeline/sanitize.js';
import { KeyedQueue } from '../../../src/pipeline/keyed-queue.js';

describe('sanitizeText', () => {
  it('strips control and bidi-override characters and collapses spaces', () => {
    expect(sanitizeText({ text: '  hel\u0000lo\u202E   there\u0007 ' }, 100)).toEqual({ ok: true, text: 'hello there' });
  });

  it('keeps newlines and every script', () => {
    expect(sanitizeText({ text: 'שלום\nпривет' }, 100)).toEqual({ ok: true, text: 'שלום\nпривет' });
  });

  it('answers an empty message, a media-only message and a too-long one with notice keys', () => {
    expect(sanitizeText({ text: ' \u0000 ' }, 100)).toEqual({ ok: false, noticeKey: 'fallback.empty' });
    expect(sanitizeText({ text: '', media: { kind: 'image' } }, 100)).toEqual({ ok: false, noticeKey: 'fallback.unsupported_media' });
    expect(sanitizeText({ text: 'x'.repeat(101) }, 100)).toEqual({ ok: false, noticeKey: 'fallback.too_long', params: { count: 100 } });
  });
});

describe('KeyedQueue', () => {
  it('runs one key in order and other keys alongside', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const step = (label: string, ms: number) => () =>
      new Promise<string>((resolve) => setTimeout(() => (log.push(label), resolve(label)), ms));
    await Promise.all([queue.run('a', step('a1', 30)), queue.run('a', step('a2', 1)), queue.run('b', step('b1', 5))]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    expect(queue.pending).toBe(0);
  });

  it('goes on after a failed task', async () => {
    const queue = new KeyedQueue();
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run('a', async () => 'next')).resolves.toBe('next');
  });
});
