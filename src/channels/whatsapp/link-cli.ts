/**
 * `npm run whatsapp:link [-- --phone +351912345678]`: links the clinic's WhatsApp number from a
 * terminal, for servers without a browser at hand. Prints the QR code (or, with --phone, the
 * pairing code to type on the phone) and waits until the number is linked.
 *
 * It takes part in the number's lease like any app process: when no app holds the number it
 * links it itself and then hands it over; while a running app holds it (with REDIS_URL) it asks
 * that app to link and prints the codes the app publishes. With the embedded defaults (no
 * REDIS_URL, PGlite) stop the app first: only one process can open the embedded database.
 */
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { ConfigError } from '../../core/errors.js';
import type { WhatsAppStatus } from '../../core/ports/whatsapp-link.js';

const USAGE = 'Usage: npm run whatsapp:link [-- --phone <the clinic\'s number, e.g. +351912345678>] [--timeout <seconds>]';

function fail(message: string, code = 2): never {
  process.stderr.write(`whatsapp:link: ${message}\n${code === 2 ? `${USAGE}\n` : ''}`);
  process.exit(code);
}

let values: { phone?: string; timeout?: string };
try {
  ({ values } = parseArgs({ options: { phone: { type: 'string' }, timeout: { type: 'string' } }, strict: true }));
} catch (error) {
  fail((error as Error).message);
}
const phone = values.phone?.replace(/[\s().-]/g, '').replace(/^(\+|00)/, '');
if (phone !== undefined && !/^[1-9]\d{6,14}$/.test(phone)) fail(`--phone must be the number in international form, e.g. +351912345678 (got ${JSON.stringify(values.phone)})`);
const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 10 || timeoutSeconds > 3_600) fail(`--timeout must be whole seconds between 10 and 3600 (got ${JSON.stringify(values.timeout)})`);

const { createRuntime, startWhatsApp } = await import('../../app.js');
let runtime: Awaited<ReturnType<typeof createRuntime>>;
try {
  runtime = await createRuntime({ LOG_LEVEL: 'warn', ...process.env, WHATSAPP_ENABLED: 'true' }, { watchLocales: false, logToStderr: true });
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error), 1);
}
const whatsapp = await startWhatsApp(runtime, { holderId: `whatsapp-link:${process.pid}` });
const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

async function finish(code: number): Promise<never> {
  await whatsapp.stop();
  await runtime.close();
  process.exit(code);
}

process.on('SIGINT', () => {
  say('Stopped before the number was linked.');
  void finish(130);
});

const deadline = setTimeout(() => {
  say(`Not linked within ${timeoutSeconds} s; run the command again when the phone is at hand.`);
  void finish(1);
}, timeoutSeconds * 1_000);
deadline.unref();

/** Someone must hold the number (this process, or a running app) before it can be asked to link. */
async function holderReady(): Promise<WhatsAppStatus> {
  const waitMs = runtime.env.WHATSAPP_LEASE_MS * 2 + 3_000;
  const started = Date.now();
  for (;;) {
    const status = whatsapp.status();
    if (status.state !== 'no_owner') return status;
    if (Date.now() - started > waitMs) {
      say('No process could take the WhatsApp number (is another process holding it without Redis to talk to?).');
      return finish(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const initial = await holderReady();
if (initial.state === 'connected') {
  say(`A number is already linked: ${initial.phone ?? 'unknown'}. Unlink it in the staff console first to link another.`);
  await finish(0);
}

/** Set once this attempt is under way, so the status from before it cannot end it. */
let attempting = false;
let lastQr: string | null = null;
let lastCode: string | null = null;
whatsapp.onStatus((status) => {
  void show(status).catch((error: unknown) => say(`Could not show the code: ${String(error)}`));
});

async function show(status: WhatsAppStatus): Promise<void> {
  if (status.state === 'linking' || status.state === 'waiting_for_scan') attempting = true;
  if (status.state === 'waiting_for_scan' && status.pairingCode && status.pairingCode !== lastCode) {
    lastCode = status.pairingCode;
    say(`\nPairing code: ${status.pairingCode}\nOn the clinic's phone: WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, then type the code.`);
  } else if (status.state === 'waiting_for_scan' && status.qr && status.qr !== lastQr && !phone) {
    lastQr = status.qr;
    const art = await QRCode.toString(status.qr, { type: 'terminal', small: true });
    say(`\n${art}\nOn the clinic's phone: WhatsApp → Settings → Linked devices → Link a device, and scan this code. It changes every 20 seconds.`);
  } else if (status.state === 'connected') {
    say(`\nLinked: ${status.phone ?? 'the number'} is connected. The running app takes it from here.`);
    await finish(0);
  } else if (attempting && (status.state === 'not_linked' || status.state === 'logged_out')) {
    say('\nThe link did not complete (the codes ran out or the phone refused). Run the command again.');
    await finish(1);
  }
}

say(phone ? `Asking WhatsApp for a pairing code for +${phone}…` : 'Asking WhatsApp for a QR code…');
await whatsapp.command(phone ? { type: 'pairing_code', phone } : { type: 'link' });
