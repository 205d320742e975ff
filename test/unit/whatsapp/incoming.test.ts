import { proto, type MessageUpsertType, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/channels/whatsapp/incoming.js';

/** Real WebMessageInfo objects, as Baileys emits them in messages.upsert. */

const NOW = new Date('2026-12-01T10:00:00Z');
const CONTEXT = { ownUsers: ['351910000000', '88000000000001'], now: NOW, maxBacklogMs: 24 * 3_600_000 };
const LID = '77000000000001@lid';
const PN = '351920000001@s.whatsapp.net';
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function message(fields: { key?: Partial<WAMessage['key']>; message?: proto.IMessage | null; at?: Date; pushName?: string; stub?: number }): WAMessage {
  const info = proto.WebMessageInfo.fromObject({
    key: { remoteJid: LID, fromMe: false, id: '3A0000000000000000AB', ...fields.key },
    ...(fields.message === null ? {} : { message: fields.message ?? { conversation: 'Hello' } }),
    messageTimestamp: seconds(fields.at ?? NOW),
    ...(fields.pushName ? { pushName: fields.pushName } : {}),
    ...(fields.stub ? { messageStubType: fields.stub } : {}),
  });
  // v7 keys also carry the other address of the chat, which WebMessageInfo's schema does not know.
  return { ...info, key: { ...info.key, ...fields.key } } as WAMessage;
}

const run = (m: WAMessage, type: MessageUpsertType = 'notify') => classify(m, type, CONTEXT);

describe('classifying upserted messages', () => {
  it('takes the LID as the chat and keeps the phone number from remoteJidAlt', () => {
    const result = run(message({ key: { remoteJidAlt: PN, addressingMode: 'lid' }, pushName: 'Ana' }));
    expect(result).toEqual({
      kind: 'patient',
      chat: { lid: LID, pn: PN },
      messageId: '3A0000000000000000AB',
      text: 'Hello',
      media: null,
      edited: false,
      pushName: 'Ana',
      at: NOW,
      offline: false,
    });
  });

  it('accepts the phone-number form (PN chat with the LID as alt, or PN alone)', () => {
    expect(run(message({ key: { remoteJid: PN, remoteJidAlt: LID } }))).toMatchObject({ kind: 'patient', chat: { lid: LID, pn: PN } });
    expect(run(message({ key: { remoteJid: PN } }))).toMatchObject({ kind: 'patient', chat: { lid: null, pn: PN } });
  });

  it.each([
    ['a group', { remoteJid: '120363025246125486@g.us', participant: LID }],
    ['status', { remoteJid: 'status@broadcast', participant: LID }],
    ['a broadcast list', { remoteJid: '1234567890@broadcast', participant: LID }],
    ['a channel', { remoteJid: '120363111111111111@newsletter' }],
    ['Meta AI', { remoteJid: '13135550002@bot' }],
  ])('ignores %s', (_name, key) => {
    expect(run(message({ key }))).toEqual({ kind: 'ignore', reason: 'not_a_person' });
  });

  it('ignores our own number (the self chat)', () => {
    expect(run(message({ key: { remoteJid: '351910000000@s.whatsapp.net' } }))).toEqual({ kind: 'ignore', reason: 'self_chat' });
  });

  it('ignores reactions, protocol messages and messages that failed to decrypt', () => {
    expect(run(message({ message: { reactionMessage: { text: '👍', key: { id: 'X', remoteJid: LID } } } }))).toEqual({ kind: 'ignore', reason: 'reaction' });
    expect(run(message({ message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'X' } } } }))).toEqual({
      kind: 'ignore',
      reason: 'protocol',
    });
    expect(run(message({ message: null, stub: proto.WebMessageInfo.StubType.CIPHERTEXT }))).toEqual({ kind: 'ignore', reason: 'undecryptable' });
  });

  it('reads text from extendedTextMessage and media captions, also inside ephemeral wrappers', () => {
    expect(run(message({ message: { extendedTextMessage: { text: 'See https://example.org' } } }))).toMatchObject({ text: 'See https://example.org', media: null });
    expect(run(message({ message: { imageMessage: { caption: 'my tooth', mimetype: 'image/jpeg' } } }))).toMatchObject({ text: 'my tooth', media: 'image' });
    expect(run(message({ message: { ephemeralMessage: { message: { conversation: 'disappearing' } } } }))).toMatchObject({ text: 'disappearing' });
  });

  it.each([
    ['an image without caption', { imageMessage: { mimetype: 'image/jpeg' } }, 'image'],
    ['a voice note', { audioMessage: { ptt: true, seconds: 4 } }, 'audio'],
    ['a video', { videoMessage: { seconds: 3 } }, 'video'],
    ['a document', { documentMessage: { fileName: 'x-ray.pdf' } }, 'document'],
    ['a sticker', { stickerMessage: { mimetype: 'image/webp' } }, 'sticker'],
    ['a location', { locationMessage: { degreesLatitude: 38.7, degreesLongitude: -9.1 } }, 'other'],
    ['a contact', { contactMessage: { displayName: 'Bo', vcard: 'BEGIN:VCARD' } }, 'other'],
  ])('hands %s to the pipeline as media without text (it answers with the unsupported-media notice)', (_name, content, kind) => {
    expect(run(message({ message: content }))).toMatchObject({ kind: 'patient', text: '', media: kind });
  });

  it('handles an edited message as its new text, under the edit message id', () => {
    const edit = message({
      key: { id: '3AEDIT00000000000000' },
      message: {
        protocolMessage: {
          type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
          key: { id: '3A0000000000000000AB', remoteJid: LID, fromMe: false },
          editedMessage: { conversation: 'Actually, Friday please' },
        },
      },
    });
    expect(run(edit)).toMatchObject({ kind: 'patient', messageId: '3AEDIT00000000000000', text: 'Actually, Friday please', edited: true });
    const wrapped = message({
      message: {
        editedMessage: {
          message: {
            protocolMessage: {
              type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
              key: { id: 'Y' },
              editedMessage: { extendedTextMessage: { text: 'edited again' } },
            },
          },
        },
      },
    });
    expect(run(wrapped)).toMatchObject({ text: 'edited again', edited: true });
  });

  it('answers messages that arrived while offline (append) unless they are older than the backlog window', () => {
    const recent = message({ at: new Date(NOW.getTime() - 3_600_000) });
    expect(run(recent, 'append')).toMatchObject({ kind: 'patient', offline: true });
    const old = message({ at: new Date(NOW.getTime() - 25 * 3_600_000) });
    expect(run(old, 'append')).toEqual({ kind: 'ignore', reason: 'too_old' });
    // A live (notify) message is answered whatever its clock says.
    expect(run(old, 'notify')).toMatchObject({ kind: 'patient' });
  });

  it('reports fromMe messages in a patient chat for the adapter to tell our sends from staff typing', () => {
    expect(run(message({ key: { fromMe: true, id: '3EB0STAFF' }, message: { conversation: 'Hi, this is Marta from the clinic' } }))).toEqual({
      kind: 'from_me',
      chat: { lid: LID, pn: null },
      messageId: '3EB0STAFF',
      text: 'Hi, this is Marta from the clinic',
      at: NOW,
    });
  });
});
