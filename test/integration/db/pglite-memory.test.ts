/** The embedded database keeps a small buffer cache: its buffers are the app's own RSS. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createPgliteDatabase } from '../../../src/db/pglite.js';

let dir: string;
let db: SqlDatabase;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clinic-pglite-memory-'));
  db = await createPgliteDatabase(dir);
});

afterAll(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

it('runs PGlite with a 16 MB buffer cache instead of PostgreSQL’s 128 MB', async () => {
  const [row] = await db.query<{ shared_buffers: string }>('show shared_buffers');
  expect(row?.shared_buffers).toBe('16MB');
  const [kept] = await db.query<{ search_path: string }>('show search_path');
  expect(kept?.search_path).toBe('public');
});
