import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Baileys stays inside src/channels/whatsapp/ (and the benchmark's WhatsApp mode), and nothing
 * a process loads at start-up reaches it: app.ts imports the channel only dynamically, when
 * WHATSAPP_ENABLED.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SRC = path.join(ROOT, 'src');
const STATIC_IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Runtime imports of a file: `import type` is erased and loads nothing. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(STATIC_IMPORT)) {
    if (/^\s*(?:import|export)\s+type\s/.test(match[0])) continue;
    const specifier = match[1] ?? match[2];
    if (specifier) found.push(specifier);
  }
  return found;
}

function resolveLocal(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.resolve(path.dirname(from), specifier.replace(/\.js$/, '.ts'));
}

describe('the WhatsApp boundary', () => {
  it('only src/channels/whatsapp/ (and the WhatsApp benchmark) import Baileys', () => {
    const importers = sourceFiles(SRC)
      .filter((file) => staticImports(file).some((specifier) => specifier.startsWith('@whiskeysockets/baileys')))
      .map((file) => path.relative(ROOT, file));
    expect(importers.length).toBeGreaterThan(0);
    for (const file of importers) expect(file, file).toMatch(/^src\/(channels\/whatsapp\/|bench\/whatsapp-mode\.ts$)/);
  });

  it('nothing loaded at start-up reaches Baileys unless WhatsApp is enabled', () => {
    const seen = new Set<string>();
    const reachesBaileys: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticImports(file)) {
        if (specifier.startsWith('@whiskeysockets/baileys') || specifier === 'libsignal') reachesBaileys.push([...trail, file].map((f) => path.relative(ROOT, f)).join(' → '));
        const local = resolveLocal(file, specifier);
        if (local) visit(local, [...trail, file]);
      }
    };
    for (const entry of ['src/main.ts', 'src/channels/cli/main.ts', 'src/privacy/erase-cli.ts', 'src/staff/add-cli.ts']) visit(path.join(ROOT, entry), []);
    expect(seen.size).toBeGreaterThan(50);
    expect(reachesBaileys).toEqual([]);
  });
});
