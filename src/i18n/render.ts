import type { Clinic } from '../config/catalog-schema.js';
import { SUPPORTED_LOCALES, type Locale } from '../core/locale.js';
import type { OutboundMessage, RenderedReply } from '../core/messages.js';
import { formatDay, formatList, formatNumber, formatPrice, formatWhen } from './format.js';
import type { Translator } from './i18n.js';

export interface Renderer {
  render(messages: OutboundMessage[], locale: Locale): RenderedReply[];
}

/**
 * Turns the statechart's outbox into text in one language. Parameters that carry ids or
 * instants (serviceId, doctorId, startsAt, …) become localized names, dates and prices here,
 * so no English leaks into a reply from code.
 */
/** Keeps "+351 21 000" reading left to right inside right-to-left text (Unicode LRI … PDI). */
function isolateLtr(value: string): string {
  return `\u2066${value}\u2069`;
}

export function createRenderer(translator: Translator, clinic: Clinic): Renderer {
  const services = new Map(clinic.services.map((s) => [s.id, s]));
  const doctors = new Map(clinic.doctors.map((d) => [d.id, d]));
  // "cleaning, filling and veneers" per language: the catalog does not change while running.
  const serviceLists = new Map(SUPPORTED_LOCALES.map((l) => [l, formatList(l, clinic.services.map((s) => s.text[l].name))]));

  const duration = (locale: Locale, minutes: number): string =>
    minutes < 60 || minutes % 30 !== 0
      ? translator.t(locale, 'time.minutes', { count: minutes })
      : translator.t(locale, 'time.hours', {
          count: minutes / 60,
          // i18next interpolates the raw count; show "1.5"/"1,5" as the language writes it
          formattedCount: formatNumber(locale, minutes / 60),
        });

  // What every reply may name, per language: the catalog does not change while running.
  const clinicParams = new Map(
    SUPPORTED_LOCALES.map((locale) => {
      const isolate = translator.dir(locale) === 'rtl' ? isolateLtr : (value: string) => value;
      const values: Record<string, string | number> = {
        clinic: clinic.names[locale],
        phone: isolate(clinic.phone),
        address: clinic.address[locale],
        emergencyNumber: isolate(clinic.emergencyNumber),
        services: serviceLists.get(locale) ?? '',
        // i18next's context: a key may have variants per clinic kind ("urgent_care_dental"); the plain key is the neutral wording.
        context: clinic.kind,
      };
      return [locale, values];
    }),
  );
  // A service's facts per language; duration words come from the locale files, so built on first
  // use and again after the files were reloaded.
  let serviceParams = new Map<string, Record<string, string>>();
  let builtFor = translator.generation();
  function serviceFacts(locale: Locale, serviceId: string): Record<string, string> | undefined {
    if (builtFor !== translator.generation()) {
      serviceParams = new Map();
      builtFor = translator.generation();
    }
    const key = `${locale}|${serviceId}`;
    let facts = serviceParams.get(key);
    if (!facts) {
      const service = services.get(serviceId);
      if (!service) return undefined;
      const text = service.text[locale];
      facts = {
        service: text.name,
        description: text.description,
        preparation: text.preparation,
        duration: duration(locale, service.durationMinutes),
        price: formatPrice(locale, service.price.amount, service.price.currency),
      };
      serviceParams.set(key, facts);
    }
    return facts;
  }

  function resolveParams(locale: Locale, params: Record<string, string | number> = {}): Record<string, string | number> {
    const out: Record<string, string | number> = { ...clinicParams.get(locale), ...params };
    const facts = typeof params.serviceId === 'string' ? serviceFacts(locale, params.serviceId) : undefined;
    if (facts) Object.assign(out, facts);
    const doctor = typeof params.doctorId === 'string' ? doctors.get(params.doctorId) : undefined;
    if (doctor) out.doctor = doctor.names[locale];
    if (typeof params.startsAt === 'string') out.when = formatWhen(locale, params.startsAt, clinic.timeZone);
    if (typeof params.fromStartsAt === 'string') out.from = formatWhen(locale, params.fromStartsAt, clinic.timeZone);
    if (typeof params.day === 'string') out.day = formatDay(locale, params.day, clinic.timeZone);
    if (typeof params.waitMinutes === 'number') out.wait = duration(locale, params.waitMinutes);
    return out;
  }

  return {
    render(messages, locale) {
      return messages.map((message) => {
        const lines = (message.lines ?? []).map((line) => `• ${translator.t(locale, line.key, resolveParams(locale, line.params))}`);
        const rendered: RenderedReply = {
          text: [translator.t(locale, message.key, resolveParams(locale, message.params)), ...lines].join('\n'),
          locale,
        };
        if (message.options && message.options.length > 0) {
          rendered.options = message.options.map((option) => ({
            id: option.id,
            label: translator.t(locale, option.key, resolveParams(locale, option.params)),
          }));
        }
        return rendered;
      });
    },
  };
}
