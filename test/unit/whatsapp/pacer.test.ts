import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../src/channels/whatsapp/pacer.js';

function pacerAt(start: number, jitter = 0) {
  const clock = { now: start };
  const pacer = new Pacer({ chatGapMs: 1_000, sendGapMs: 250, jitter }, () => clock.now, () => 1);
  return { pacer, clock };
}

describe('pacing sends', () => {
  it('spaces messages to one chat by the chat gap, and any two sends by the overall gap', () => {
    const { pacer } = pacerAt(10_000);
    expect(pacer.reserve('a')).toBe(0);
    expect(pacer.reserve('a')).toBe(1_000);
    expect(pacer.reserve('a')).toBe(2_000);
    // Another chat only waits for the overall gap after the last reserved send.
    expect(pacer.reserve('b')).toBe(2_250);
  });

  it('lets chats that are idle go at once', () => {
    const { pacer, clock } = pacerAt(0);
    pacer.reserve('a');
    clock.now += 5_000;
    expect(pacer.reserve('a')).toBe(0);
    expect(pacer.reserve('b')).toBe(250);
  });

  it('adds jitter on top of the gaps, never less than the gap', () => {
    const { pacer } = pacerAt(0, 0.3);
    pacer.reserve('a');
    expect(pacer.reserve('a')).toBe(1_300);
  });
});
