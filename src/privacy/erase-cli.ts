/**
 * `npm run patient:erase -- --channel whatsapp --id <sender id>`: erases one patient's data on
 * request (transcripts, identities, appointments, escalations, hot conversation state); the
 * audit log keeps that it happened, without the content. A WhatsApp patient can be named by
 * their LID or their phone number as people write it ("+351 912 345 678").
 */
import { parseArgs } from 'node:util';

const CHANNELS = ['webchat', 'cli', 'whatsapp', 'teams'] as const;
type Channel = (typeof CHANNELS)[number];

function fail(message: string): never {
  process.stderr.write(`patient:erase: ${message}\nUsage: npm run patient:erase -- --channel <${CHANNELS.join('|')}> --id <sender id>\n`);
  process.exit(2);
}

let values: { channel?: string; id?: string };
try {
  ({ values } = parseArgs({ options: { channel: { type: 'string' }, id: { type: 'string' } }, strict: true }));
} catch (error) {
  fail((error as Error).message);
}
const channel = values.channel;
if (!channel || !(CHANNELS as readonly string[]).includes(channel)) fail(`--channel must be one of ${CHANNELS.join(', ')} (got ${JSON.stringify(channel ?? '')})`);
if (!values.id) fail('--id is required');

const { createRuntime } = await import('../app.js');
const runtime = await createRuntime({ LOG_LEVEL: 'warn', ...process.env }, { watchLocales: false, logToStderr: true });
try {
  const result = await runtime.privacy.erasePatientByIdentity({ channel: channel as Channel, externalId: values.id });
  if (!result) {
    process.stderr.write(`patient:erase: no patient with ${channel} id ${JSON.stringify(values.id)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${JSON.stringify({ erased: result.patientId, deleted: result.deleted, conversations: result.conversations.length })}\n`);
  }
} finally {
  await runtime.close();
}
