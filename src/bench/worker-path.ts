/**
 * Where a bench worker process starts from. Compiled (`npm run bench:compiled`) the workers run
 * as production does, on the built JavaScript without tsx's loader, which holds some 45 MB of
 * its own; from source they run through tsx like `npm start`.
 */
import { fileURLToPath } from 'node:url';

const COMPILED = import.meta.url.endsWith('.js');

export function benchWorker(name: string, extraExecArgv: string[] = []): { file: string; execArgv: string[] } {
  return {
    file: fileURLToPath(new URL(`./${name}${COMPILED ? '.js' : '.ts'}`, import.meta.url)),
    execArgv: [...(COMPILED ? [] : ['--import', 'tsx']), ...extraExecArgv],
  };
}
