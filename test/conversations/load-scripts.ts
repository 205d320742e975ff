import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { scriptSchema, type ConversationScript } from './script.js';

export const SCRIPTS_DIR = path.join(import.meta.dirname, 'scripts');

/** Every conversation script under scripts/, parsed and validated, in file-name order. */
export function loadConversationScripts(): { file: string; script: ConversationScript }[] {
  const files = readdirSync(SCRIPTS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.map((file) => {
    const parsed = scriptSchema.safeParse(parse(readFileSync(path.join(SCRIPTS_DIR, file), 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
    return { file, script: parsed.data };
  });
}
