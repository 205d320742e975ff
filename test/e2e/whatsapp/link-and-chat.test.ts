import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../src/app.js';
import { FakeWhatsApp } from '../../support/fake-whatsapp/server.js';
import { linkByQr, statusReaches, whatsappDeployment, type WhatsAppDeployment } from '../../support/whatsapp-app.js';

let server: FakeWhatsApp;
let deployment: WhatsAppDeployment;
let app: RunningApp | undefined;

beforeAll(async () => {
  server = await FakeWhatsApp.start();
  server.events.on('error', (error) => console.error('fake WhatsApp:', error));
  deployment = await whatsappDeployment(server, 'wa_link');
});

afterAll(async () => {
  await app?.stop();
  await server?.stop();
  await deployment?.cleanUp();
});

describe('linking and chatting through the fake WhatsApp server', () => {
  it('links by QR, answers an encrypted message the patient can decrypt', async () => {
    app = await deployment.start();
    await statusReaches(app, 'not_linked');
    await linkByQr(app, server);
    const patient = server.patient({ lidUser: '77000000000001', phone: '351920000001', pushName: 'Ana' });
    await patient.send('Hello');
    const replies = await patient.repliesUntilQuiet();
    console.log(replies);
    expect(replies.length).toBeGreaterThan(0);
  });
});
