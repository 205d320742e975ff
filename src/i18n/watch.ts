import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/**
 * Watches locales/ so a translator's saved change goes live without a restart.
 *
 * One non-recursive `fs.watch` on the folder and one on each language subfolder. Node 20 does
 * accept `recursive: true` on Linux, but there it is emulated in JavaScript (a watcher per
 * directory plus a directory scan) and had several fixes during the 20.x line; the layout is
 * only two levels deep, so watching each folder ourselves behaves the same on every Node
 * version and platform. A new or re-created language folder is picked up on the next event
 * from the parent folder.
 *
 * Events are debounced (editors write a file in several steps, `git pull` touches many) and
 * editor temp files are ignored. `onChange` runs at most once at a time; a change that arrives
 * while it runs triggers one more run afterwards. When `onChange` rejects (e.g. the translator's
 * reload found broken JSON and kept the previous resources) the error goes to `onError` and
 * watching continues, so fixing the file reloads it.
 */

export interface LocaleWatcher {
  close(): void;
}

export interface WatchLocalesOptions {
  /** Quiet time after the last event before `onChange` runs. Default 100 ms. */
  debounceMs?: number;
  /** Keep the process alive while watching. Default false: the server keeps itself alive. */
  persistent?: boolean;
}

export function watchLocales(
  localesDir: string,
  onChange: () => Promise<void>,
  onError: (error: Error) => void,
  options: WatchLocalesOptions = {},
): LocaleWatcher {
  const root = path.resolve(localesDir);
  const debounceMs = options.debounceMs ?? 100;
  const persistent = options.persistent ?? false;
  /** Folder path → its watcher and the inode it was opened on (a re-created folder gets a new one). */
  const watchers = new Map<string, { watcher: FSWatcher; inode: number }>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;
  let closed = false;

  const report = (error: unknown): void => {
    if (!closed) onError(error instanceof Error ? error : new Error(String(error)));
  };

  function schedule(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, debounceMs);
  }

  async function flush(): Promise<void> {
    if (closed) return;
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      syncWatchers();
      await onChange();
    } catch (error) {
      report(error);
    } finally {
      running = false;
      if (pending) {
        pending = false;
        schedule();
      }
    }
  }

  function watchFolder(dir: string, inode: number, isRoot: boolean): void {
    try {
      const watcher = watch(dir, { persistent }, (_event, filename) => {
        const name = filename === null ? null : String(filename);
        if (isRoot) {
          // A language folder appeared, vanished or was replaced: re-sync, then reload.
          if (name === null || !isIgnored(name)) schedule();
        } else if (name === null || isLocaleFile(name)) {
          schedule();
        }
      });
      watcher.on('error', (error) => {
        // The folder went away (deleted, renamed); forget it, the parent's event re-syncs.
        watcher.close();
        if (watchers.get(dir)?.watcher === watcher) watchers.delete(dir);
        if (isRoot) report(error);
        else schedule();
      });
      watchers.set(dir, { watcher, inode });
    } catch (error) {
      report(error);
    }
  }

  /** Opens watchers for new language folders and drops those of folders that are gone. */
  function syncWatchers(): void {
    if (closed) return;
    const wanted = new Map<string, number>();
    const rootInode = inodeOf(root);
    if (rootInode !== null) {
      wanted.set(root, rootInode);
      for (const entry of readdirSync(root, { withFileTypes: true })) {
        if (!entry.isDirectory() || isIgnored(entry.name)) continue;
        const dir = path.join(root, entry.name);
        const inode = inodeOf(dir);
        if (inode !== null) wanted.set(dir, inode);
      }
    }
    for (const [dir, current] of watchers) {
      if (wanted.get(dir) !== current.inode) {
        current.watcher.close();
        watchers.delete(dir);
      }
    }
    for (const [dir, inode] of wanted) {
      if (!watchers.has(dir)) watchFolder(dir, inode, dir === root);
    }
  }

  try {
    syncWatchers();
  } catch (error) {
    report(error);
  }
  if (!watchers.has(root)) report(new Error(`Cannot watch locales folder ${root}`));

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function inodeOf(dir: string): number | null {
  try {
    const stats = statSync(dir);
    return stats.isDirectory() ? stats.ino : null;
  } catch {
    return null;
  }
}

/** A locale file's name, not an editor's swap, backup or atomic-save temp file. */
export function isLocaleFile(name: string): boolean {
  return name.endsWith('.json') && !isIgnored(name);
}

/** vim (.x.swp, 4913, x~), emacs (#x#, .#x), JetBrains (x___jb_tmp___), VS Code/Chrome (.crswap), and others. */
export function isIgnored(name: string): boolean {
  const base = path.basename(name);
  return (
    base.startsWith('.') ||
    base.startsWith('#') ||
    base.endsWith('~') ||
    base.includes('___jb_') ||
    /^\d+$/.test(base) ||
    /\.(swp|swo|swx|tmp|temp|bak|orig|part|crswap)$/i.test(base)
  );
}
