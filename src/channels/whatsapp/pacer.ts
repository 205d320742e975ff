/**
 * Paces outgoing messages: a least gap between two messages to one chat and between any two
 * sends, each with some jitter, so the number never sends in machine-like bursts (a ban risk).
 * Waits are taken in arrival order per chat; different chats only share the overall gap.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PacerSettings {
  chatGapMs: number;
  sendGapMs: number;
  /** Up to this share of a gap is added at random (default 0.3). */
  jitter?: number;
}

export class Pacer {
  private readonly nextPerChat = new Map<string, number>();
  private nextAny = 0;

  constructor(
    private readonly settings: PacerSettings,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Resolves when a message to `chat` may go; reserves that slot at once. */
  async wait(chat: string): Promise<void> {
    const delayMs = this.reserve(chat);
    if (delayMs > 0) await sleep(delayMs);
  }

  /** Takes the next free slot for `chat` and returns how long until it (0: now). */
  reserve(chat: string): number {
    const now = this.now();
    const at = Math.max(now, this.nextAny, this.nextPerChat.get(chat) ?? 0);
    this.nextAny = at + this.gap(this.settings.sendGapMs);
    this.nextPerChat.set(chat, at + this.gap(this.settings.chatGapMs));
    this.forgetIdleChats(now);
    return at - now;
  }

  private gap(ms: number): number {
    return ms + Math.round(ms * (this.settings.jitter ?? 0.3) * this.random());
  }

  private forgetIdleChats(now: number): void {
    if (this.nextPerChat.size < 1_000) return;
    for (const [chat, next] of this.nextPerChat) if (next < now) this.nextPerChat.delete(chat);
  }
}
