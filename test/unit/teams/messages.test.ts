import { describe, expect, it } from 'vitest';
import type { InboundActivity } from '../../../src/channels/teams/activity.js';
import { reasonText } from '../../../src/channels/teams/alert-card.js';
import { commandOf } from '../../../src/channels/teams/commands.js';
import { mediaOf, messageIdOf, submittedOption, toInboundMessage } from '../../../src/channels/teams/inbound.js';
import { numberedText, optionsCard, replyActivity, showsCards } from '../../../src/channels/teams/replies.js';
import { plainTextOf } from '../../../src/channels/teams/text.js';
import type { TeamsTexts } from '../../../src/channels/teams/texts.js';

function activity(fields: Partial<InboundActivity>): InboundActivity {
  return { type: 'message', id: '1700000000001', conversation: { id: 'a:conv-1', conversationType: 'personal' }, ...fields };
}

describe('plainTextOf', () => {
  it.each([
    ['How much is whitening?', 'How much is whitening?'],
    ['<p>How much is <b>whitening</b>?&nbsp;</p>', 'How much is whitening?'],
    ['<at>Clinic assistant</at> alerts here', 'Clinic assistant alerts here'],
    ['Line one<br>line two', 'Line one\nline two'],
    ['<div>one</div><div>two</div>', 'one\ntwo'],
    ['2 < 3 and 5 > 4', '2 < 3 and 5 > 4'],
    ['Tom &amp; Jerry', 'Tom & Jerry'],
  ])('%j → %j', (input, expected) => {
    expect(plainTextOf(input)).toBe(expected);
  });
});

describe('a Teams message as an InboundMessage', () => {
  it('a card button picks its option as its number', () => {
    expect(submittedOption({ clinicOption: '2' })).toBe('2');
    expect(submittedOption({ clinicOption: 3 })).toBe('3');
    expect(submittedOption({ clinicOption: 'drop table' })).toBeNull();
    expect(submittedOption('2')).toBeNull();
    const message = toInboundMessage(activity({ value: { clinicOption: '2' }, from: { id: '29:x', aadObjectId: 'aad-1' }, locale: 'he-IL' }), '', new Date(0));
    expect(message).toMatchObject({ channel: 'teams', conversationId: 'a:conv-1', senderId: 'aad-1', text: '2', localeHint: 'he-IL' });
  });

  it('an attachment is media, but not the HTML copy of formatted text or a card', () => {
    expect(mediaOf(activity({ attachments: [{ contentType: 'text/html' }] }))).toBeNull();
    expect(mediaOf(activity({ attachments: [{ contentType: 'text/html' }, { contentType: 'image/jpeg' }] }))).toBe('image');
    expect(mediaOf(activity({ attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info' }] }))).toBe('document');
    expect(mediaOf(activity({ attachments: [{ contentType: 'audio/ogg' }] }))).toBe('audio');
  });

  it('the message id is stable per activity and differs between conversations with the same activity id', () => {
    const a = activity({});
    expect(messageIdOf(a)).toBe(messageIdOf({ ...a }));
    expect(messageIdOf(a)).not.toBe(messageIdOf(activity({ conversation: { id: 'a:conv-2' } })));
    expect(messageIdOf(a).startsWith('1700000000001@')).toBe(true);
  });

  it('has no sender without an account, and marks bots', () => {
    expect(toInboundMessage(activity({}), 'hi', new Date(0))).toBeNull();
    expect(toInboundMessage(activity({ from: { id: '28:other', role: 'bot' } }), 'hi', new Date(0))?.fromBot).toBe(true);
  });
});

describe('replies as Teams activities', () => {
  const menu = { text: 'Pick a time:', locale: 'en' as const, options: [{ id: 's1', label: 'Mon 10:00' }, { id: 's2', label: 'Mon 11:00' }] };

  it('a menu is an Adaptive Card with one Action.Submit per option and the numbered text as fallback', () => {
    const card = optionsCard(menu).content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', fallbackText: 'Pick a time:\n1. Mon 10:00\n2. Mon 11:00' });
    expect(card.rtl).toBeUndefined();
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: '1. Mon 10:00', data: { clinicOption: '1' } },
      { type: 'Action.Submit', title: '2. Mon 11:00', data: { clinicOption: '2' } },
    ]);
  });

  it('reads right to left in Hebrew', () => {
    expect(optionsCard({ ...menu, locale: 'he' }).content).toMatchObject({ rtl: true, lang: 'he' });
  });

  it('is plain numbered text where a client cannot show cards, and text stays text', () => {
    expect(showsCards('msteams')).toBe(true);
    expect(showsCards('sms')).toBe(false);
    expect(replyActivity(menu, false)).toEqual({ type: 'message', locale: 'en', text: numberedText(menu), textFormat: 'plain' });
    expect(replyActivity({ text: 'Hello', locale: 'en' }, true)).toEqual({ type: 'message', locale: 'en', text: 'Hello', textFormat: 'plain' });
  });
});

describe('channel commands and alert reasons', () => {
  it('reads a command whatever the case and punctuation', () => {
    expect(commandOf(' Alerts  HERE! ')).toBe('alerts here');
    expect(commandOf('<p>alerts off</p>')).toBe('alerts off');
  });

  it('words an escalation reason like the console does', () => {
    const texts = { t: (_locale: string, key: string, params?: Record<string, string>) => (params ? `${key}(${Object.values(params).join(',')})` : key) } as unknown as TeamsTexts;
    expect(reasonText(texts, 'en', 'emergency:chest_pain')).toBe('alert.reason.emergency_kind(alert.emergency.chest_pain)');
    expect(reasonText(texts, 'en', 'emergency:unheard_of')).toBe('alert.reason.emergency');
    expect(reasonText(texts, 'en', 'patient_request')).toBe('alert.reason.patient_request');
    expect(reasonText(texts, 'en', 'something_new')).toBe('alert.reason.other');
  });
});
