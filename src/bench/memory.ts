/**
 * Memory with 10,000 active conversations: each patient asks a question and starts a booking
 * (so a conversation is held mid-task), a hundred at a time, in a fresh process per setup so
 * earlier runs do not count. Reports the process's RSS when all are active, and its peak.
 */
import { fork } from 'node:child_process';
import { benchWorker } from './worker-path.js';

export interface MemoryFigures {
  setup: string;
  conversations: number;
  turns: number;
  'RSS with all active MB': number;
  'peak RSS MB': number;
  'heap used MB': number;
}

const WORKER = benchWorker('memory-worker', ['--expose-gc']);

export const ACTIVE_CONVERSATIONS = 10_000;

function runWorker(setup: 'services' | 'embedded'): Promise<MemoryFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER.file, [setup], { execArgv: WORKER.execArgv });
    child.on('message', (figures: MemoryFigures) => resolve(figures));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`memory bench (${setup}) exited with ${code}`));
    });
  });
}

export async function memoryRun(mode: string): Promise<MemoryFigures[]> {
  const rows: MemoryFigures[] = [];
  if (mode !== 'embedded') rows.push(await runWorker('services'));
  if (mode !== 'services') rows.push(await runWorker('embedded'));
  return rows;
}
