import { fileURLToPath } from 'node:url';

/** The repository's locales/ folder (the same from src/ under tsx and from dist/src/ when built). */
export function defaultLocalesDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? fileURLToPath(new URL('../../../locales/', import.meta.url)) : fileURLToPath(new URL('../../locales/', import.meta.url));
}
