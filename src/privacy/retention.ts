import type { Logger } from '../observability/logger.js';

const DAY_MS = 86_400_000;

/**
 * Deletes transcripts older than the retention period once at start-up and then daily.
 * The timer does not keep the process alive; `stop()` ends it.
 */
export function scheduleTranscriptRetention(options: {
  retentionDays: number;
  purgeOlderThan: (cutoff: Date) => Promise<number>;
  now: () => Date;
  logger: Logger;
  intervalMs?: number;
}): { runOnce(): Promise<number>; stop(): void } {
  const runOnce = async (): Promise<number> => {
    const cutoff = new Date(options.now().getTime() - options.retentionDays * DAY_MS);
    const deleted = await options.purgeOlderThan(cutoff);
    if (deleted > 0) options.logger.info({ deleted, cutoff: cutoff.toISOString() }, 'old transcripts purged');
    return deleted;
  };
  const run = () => {
    runOnce().catch((error: unknown) => options.logger.error({ err: error }, 'transcript purge failed; will retry at the next run'));
  };
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, options.intervalMs ?? DAY_MS);
  first.unref();
  timer.unref();
  return {
    runOnce,
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
