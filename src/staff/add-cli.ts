/**
 * `npm run staff:add -- --email ana@clinic.example --name "Ana Silva" [--role staff|admin]`
 *
 * Creates a staff console user in the app's database (DATABASE_URL, or PGlite under DATA_DIR:
 * stop the app first then, only one process may open that folder). The password is never an
 * argument (it would stay in the shell history): it is typed at a hidden prompt, twice, or
 * piped in as the first line of stdin.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeIssue, newUserSchema } from './api-schemas.js';
import { readPassword } from './password-prompt.js';

const USAGE = 'Usage: npm run staff:add -- --email <email> --name "<display name>" [--role staff|admin]  (password on stdin)';

function fail(message: string, code = 2): never {
  process.stderr.write(`staff:add: ${message}\n${code === 2 ? `${USAGE}\n` : ''}`);
  process.exit(code);
}

function readArguments(): { email: string; name: string; role: string } {
  try {
    const { values } = parseArgs({
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'staff' } },
      strict: true,
    });
    if (values.email === undefined) fail('--email is required');
    if (values.name === undefined) fail('--name is required');
    return { email: values.email, name: values.name, role: values.role };
  } catch (error) {
    fail((error as Error).message);
  }
}

const optionNames: Record<string, string> = { email: '--email', displayName: '--name', role: '--role', password: 'password' };

/** "--email: must be an email address …": the option the operator typed, not our field name. */
function describeForCli(error: z.ZodError): string {
  const reason = describeIssue(error);
  const field = reason.slice(0, reason.indexOf(':'));
  return `${optionNames[field] ?? field}${reason.slice(field.length)}`;
}

const args = readArguments();
const withoutPassword = newUserSchema.omit({ password: true }).safeParse({ email: args.email, displayName: args.name, role: args.role });
if (!withoutPassword.success) fail(describeForCli(withoutPassword.error));

const password = await readPassword(process.stdin, process.stderr).catch((error: Error) => fail(error.message));
const parsed = newUserSchema.safeParse({ ...withoutPassword.data, password });
if (!parsed.success) fail(describeForCli(parsed.error));

const { parseEnv } = await import('../config/env.js');
const { databaseOptions } = await import('../app.js');
const { openDatabase } = await import('../db/open.js');
const { createRecords } = await import('../db/records.js');
const { hashPassword } = await import('./passwords.js');

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv(process.env);
} catch (error) {
  fail((error as Error).message, 1);
}
const { db } = await openDatabase(databaseOptions(env));
try {
  const records = createRecords(db);
  const created = await records.staff.create({
    email: parsed.data.email,
    displayName: parsed.data.displayName,
    role: parsed.data.role,
    passwordHash: await hashPassword(parsed.data.password),
  });
  if (created.outcome === 'email_taken') {
    process.stderr.write(`staff:add: --email: ${parsed.data.email} already has a staff account\n`);
    process.exitCode = 1;
  } else {
    const { id, email, displayName, role } = created.user;
    process.stdout.write(`${JSON.stringify({ created: { id, email, displayName, role } })}\n`);
  }
} finally {
  await db.close();
}
