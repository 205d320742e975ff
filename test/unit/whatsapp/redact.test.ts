import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../../src/channels/whatsapp/redact.js';

describe('redacting WhatsApp addresses and phone numbers from logs', () => {
  it('masks JIDs of every kind and international phone numbers in text', () => {
    expect(redactText('sending to 351912345678@s.whatsapp.net and 123456789012345:7@lid')).toBe('sending to ***@s.whatsapp.net and ***@lid');
    expect(redactText('group 120363025246125486@g.us, call +351 912 345 678')).toBe('group ***@g.us, call +***');
    expect(redactText('3 pre-keys uploaded, id 3EB0ABCDEF')).toBe('3 pre-keys uploaded, id 3EB0ABCDEF');
    expect(redactText('session 77200000000001_1.0 migrated')).toBe('session ***_1.0 migrated');
  });

  it('masks sensitive fields whole and addresses inside any other field, leaves bytes out', () => {
    const value = redactValue({
      jid: '351912345678@s.whatsapp.net',
      key: { remoteJid: '123@lid', id: 'ABC', fromMe: false },
      attrs: { from: '351912345678@s.whatsapp.net', type: 'text' },
      note: 'from 351912345678@s.whatsapp.net',
      content: new Uint8Array(40),
      err: new Error('No session for 123456789012345@lid'),
    });
    expect(value).toEqual({
      jid: '[redacted]',
      key: { remoteJid: '[redacted]', id: 'ABC', fromMe: false },
      attrs: { from: '[redacted]', type: 'text' },
      note: 'from ***@s.whatsapp.net',
      content: '[40 bytes]',
      err: expect.objectContaining({ type: 'Error', message: 'No session for ***@lid' }),
    });
    expect(JSON.stringify(value)).not.toMatch(/351912345678|123456789012345/);
  });
});
