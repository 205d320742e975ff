/**
 * What this process sent lately, by WhatsApp message id: Baileys echoes our own sends back as
 * `append` upserts (before sendMessage even returns), and a patient's phone that failed to
 * decrypt a reply asks for it again (getMessage). The database's sent log answers the same
 * question across processes and restarts; this answers it at once.
 */
import { LRUCache } from 'lru-cache';

export class RecentSends {
  private readonly texts = new LRUCache<string, string>({ max: 2_000, ttl: 24 * 3_600_000 });

  remember(messageId: string, text: string): void {
    this.texts.set(messageId, text);
  }

  isOwn(messageId: string): boolean {
    return this.texts.has(messageId);
  }

  text(messageId: string): string | undefined {
    return this.texts.get(messageId);
  }
}
