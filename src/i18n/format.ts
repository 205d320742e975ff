import { intlTag, type Locale } from '../core/locale.js';

/** Locale-aware formatting of the values replies carry, in the clinic's time zone. */
export function formatWhen(locale: Locale, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intlTag(locale), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));
}

export function formatDay(locale: Locale, iso: string, timeZone: string): string {
  // Russian replies say «на {{day}}», which needs «27 ноября»: a weekday there would have to be inflected.
  const weekday = locale === 'ru' ? undefined : 'long';
  return new Intl.DateTimeFormat(intlTag(locale), { weekday, day: 'numeric', month: 'long', timeZone }).format(new Date(iso));
}

export function formatPrice(locale: Locale, amount: number, currency: string): string {
  return new Intl.NumberFormat(intlTag(locale), { style: 'currency', currency, maximumFractionDigits: amount % 1 === 0 ? 0 : 2 }).format(amount);
}

export function formatList(locale: Locale, items: string[]): string {
  return new Intl.ListFormat(intlTag(locale), { type: 'conjunction', style: 'long' }).format(items);
}
