import { describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/core/locale.js';
import { localeFromChannelHint, resolveReplyLocale, type ReplyLocaleInput } from '../../../src/i18n/negotiate.js';
import { localeFromPhone } from '../../../src/i18n/phone-locales.js';

const base: ReplyLocaleInput = { detected: null, preference: null, conversation: null, channelHint: null, clinicDefault: 'en' };
const resolve = (input: Partial<ReplyLocaleInput>): { locale: Locale; switched: boolean } => resolveReplyLocale({ ...base, ...input });

describe('resolveReplyLocale', () => {
  it('follows a language confidently detected on this message, and calls it a switch when it differs', () => {
    expect(resolve({ detected: 'ru', conversation: 'en', preference: 'en', channelHint: 'en-US', clinicDefault: 'es' })).toEqual({
      locale: 'ru',
      switched: true,
    });
    expect(resolve({ detected: 'ru', conversation: 'ru' })).toEqual({ locale: 'ru', switched: false });
  });

  it('on a first message, a detected language that differs from the saved preference is a switch', () => {
    expect(resolve({ detected: 'pt', preference: 'es' })).toEqual({ locale: 'pt', switched: true });
    expect(resolve({ detected: 'pt' })).toEqual({ locale: 'pt', switched: false });
  });

  it('keeps the current language when the message says nothing about its language ("2", "ok")', () => {
    expect(resolve({ preference: 'he', conversation: 'ru', channelHint: 'pt-BR', clinicDefault: 'es' })).toEqual({ locale: 'he', switched: false });
    expect(resolve({ conversation: 'ru', channelHint: 'pt-BR', clinicDefault: 'es' })).toEqual({ locale: 'ru', switched: false });
  });

  it('then uses the channel hint, a language tag or a phone number', () => {
    expect(resolve({ channelHint: 'pt-BR', clinicDefault: 'es' }).locale).toBe('pt');
    expect(resolve({ channelHint: 'he-IL', clinicDefault: 'es' }).locale).toBe('he');
    expect(resolve({ channelHint: '+7 912 345-67-89', clinicDefault: 'es' }).locale).toBe('ru');
    expect(resolve({ channelHint: '+972 50-123-4567', clinicDefault: 'es' }).locale).toBe('he');
  });

  it('falls back to the clinic default', () => {
    expect(resolve({ clinicDefault: 'es' })).toEqual({ locale: 'es', switched: false });
    expect(resolve({ channelHint: 'fr-FR', clinicDefault: 'he' }).locale).toBe('he');
    expect(resolve({ channelHint: '+49 30 1234567', clinicDefault: 'pt' }).locale).toBe('pt');
    expect(resolve({ channelHint: '', clinicDefault: 'ru' }).locale).toBe('ru');
    expect(resolve({ channelHint: undefined, clinicDefault: 'ru' }).locale).toBe('ru');
  });
});

describe('channel hints', () => {
  it.each([
    ['pt-BR', 'pt'],
    ['pt_PT', 'pt'],
    ['he-IL', 'he'],
    ['iw', 'he'],
    ['ES-mx', 'es'],
    ['en', 'en'],
    ['fr-FR,es;q=0.8,en;q=0.5', 'es'],
    ['de', null],
    ['   ', null],
  ] as const)('%s → %s', (hint, expected) => {
    expect(localeFromChannelHint(hint)).toBe(expected);
  });

  it.each([
    ['+7 912 345-67-89', 'ru'],
    ['+972 50-123-4567', 'he'],
    ['+34 600 123 456', 'es'],
    ['+351 912 345 678', 'pt'],
    ['+55 11 91234-5678', 'pt'],
    ['+1 (415) 555-0100', 'en'],
    ['+44 20 7946 0958', 'en'],
    ['0034 600 123 456', 'es'],
    ['972501234567@s.whatsapp.net', 'he'],
    ['+49 30 1234567', null],
    ['12345', null],
  ] as const)('phone %s → %s', (phone, expected) => {
    expect(localeFromPhone(phone)).toBe(expected);
    expect(localeFromChannelHint(phone)).toBe(expected);
  });
});
