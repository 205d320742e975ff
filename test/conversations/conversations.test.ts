import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, it } from 'vitest';
import { requirePostgres, requireRedis } from '../support/services.js';
import { runScript } from './harness.js';
import { scriptSchema } from './script.js';

const SCRIPTS_DIR = path.join(import.meta.dirname, 'scripts');

function loadScripts() {
  const files = readdirSync(SCRIPTS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.map((file) => {
    const parsed = scriptSchema.safeParse(parse(readFileSync(path.join(SCRIPTS_DIR, file), 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
    return { file, script: parsed.data };
  });
}

describe('conversation scripts (offline NLU, real Redis and PostgreSQL)', () => {
  beforeAll(async () => {
    await requireRedis();
    await requirePostgres();
  });

  it.each(loadScripts())('$file', async ({ script }) => {
    await runScript(script);
  });
});
