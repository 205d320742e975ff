import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkLocales, type CheckReport } from './check.js';
import { defaultLocalesDir } from './locales-dir.js';

/**
 * `npm run i18n:check [-- --dir <path>] [--json]`: checks the locale files against English.
 * Exit code 0 when no shipped locale has an error (warnings are fine), 1 when one has, 2 on bad usage.
 */

const USAGE = `Usage: npm run i18n:check -- [--dir <locales folder>] [--json]

Checks every locales/<lang>/<namespace>.json against English: missing or invalid files,
missing and extra keys, {{variables}} that differ, plural forms, empty strings.
Exits 1 when a shipped locale has an error, 0 otherwise (warnings do not fail).`;

/** One line per issue, grouped by file, then a summary line. Paths are relative to `cwd` when inside it. */
export function formatReport(report: CheckReport, cwd = process.cwd()): string {
  const parent = path.dirname(report.localesDir);
  const shown = (file: string): string => {
    const absolute = path.join(parent, file);
    const relative = path.relative(cwd, absolute);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
  };
  const lines: string[] = [];
  let current = '';
  for (const issue of report.issues) {
    if (issue.file !== current) {
      if (current) lines.push('');
      current = issue.file;
    }
    lines.push(`${shown(issue.file)}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.message}`);
  }
  if (lines.length > 0) lines.push('');
  const checked = report.files.length;
  const clean = report.files.filter((file) => file.errors === 0 && file.warnings === 0).length;
  lines.push(
    `i18n check: ${checked} file${checked === 1 ? '' : 's'} in ${report.locales.length} languages (${report.locales.join(', ')}), ` +
      `namespaces ${report.namespaces.join(', ') || '(none)'}; ${clean} clean; ` +
      `${count(report.errorCount, 'error')}, ${count(report.warningCount, 'warning')} — ${report.ok ? 'OK' : 'FAILED'}`,
  );
  return lines.join('\n');
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

async function main(argv: string[]): Promise<number> {
  let values: { dir?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string', short: 'd' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dir = values.dir ? path.resolve(values.dir) : defaultLocalesDir();
  const report = await checkLocales(dir);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`i18n check crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
