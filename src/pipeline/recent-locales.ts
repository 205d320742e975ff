/**
 * The language of the conversations this process answered lately, so an apology for a turn
 * that failed before anything could be loaded (Redis or PostgreSQL down) is still in the
 * patient's language. Bounded: the least recently answered are forgotten first.
 */
import type { Locale } from '../core/locale.js';

export class RecentLocales {
  private readonly locales = new Map<string, Locale>();

  constructor(private readonly capacity = 10_000) {}

  get(conversationKey: string): Locale | null {
    return this.locales.get(conversationKey) ?? null;
  }

  remember(conversationKey: string, locale: Locale): void {
    this.locales.delete(conversationKey);
    this.locales.set(conversationKey, locale);
    if (this.locales.size > this.capacity) {
      const oldest = this.locales.keys().next();
      if (!oldest.done) this.locales.delete(oldest.value);
    }
  }
}
