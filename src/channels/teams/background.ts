/**
 * Work a Teams turn leaves running after its HTTP answer (a slow turn's replies): tracked so a
 * graceful shutdown waits for it, and its failure is logged instead of lost.
 */
export interface BackgroundWork {
  /** Starts `work`; the returned promise settles with it and never rejects. */
  run(work: () => Promise<void>): Promise<void>;
  /** Resolves when everything started so far has finished. */
  drain(): Promise<void>;
}

export function createBackgroundWork(onFailure: (error: unknown) => void): BackgroundWork {
  const running = new Set<Promise<void>>();
  return {
    run(work) {
      const task = work().catch(onFailure);
      running.add(task);
      void task.finally(() => running.delete(task));
      return task;
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** True when `task` settled within `ms`, false when the time ran out first. */
export async function settlesWithin(task: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([task.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
