// Words for what the API sends as codes: urgency, reason, channel, language, waiting time,
// clock times. Every function takes `t` (the console's string lookup), so nothing here is
// English-only.

/** @typedef {(key: string, params?: Record<string, string | number>) => string} Translate */

export const URGENCIES = ['urgent', 'high', 'medium', 'low'];

/** @param {Translate} t @param {string} urgency */
export function urgencyLabel(t, urgency) {
  return URGENCIES.includes(urgency) ? t(`urgency_${urgency}`) : urgency;
}

/**
 * "patient_request" → "Asked to talk to a person"; "emergency:chest_pain" → "Emergency: chest
 * pain". A reason the console does not know yet is still shown, in readable words.
 *
 * @param {Translate} t @param {string} reason
 */
export function reasonText(t, reason) {
  const [kind = '', detail = ''] = String(reason).split(':', 2);
  if (kind === 'emergency') {
    if (!detail) return t('reason_emergency');
    const known = t(`emergency_${detail}`);
    return t('reason_emergencyKind', { kind: known === `emergency_${detail}` ? humanize(detail) : known });
  }
  const known = t(`reason_${kind}`);
  return known === `reason_${kind}` ? capitalize(humanize(reason)) : known;
}

/** @param {Translate} t @param {string} channel */
export function channelName(t, channel) {
  const known = t(`channel_${channel}`);
  return known === `channel_${channel}` ? channel : known;
}

const languageNames = new Map();

/** "he" → "Hebrew" in the console's language (Intl knows them all). */
export function languageName(uiLocale, locale) {
  if (!locale) return '';
  try {
    if (!languageNames.has(uiLocale)) {
      languageNames.set(uiLocale, new Intl.DisplayNames([uiLocale], { type: 'language' }));
    }
    return languageNames.get(uiLocale).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

/** A patient's name, or a short, stable handle when the channel gave no name. */
export function patientName(t, patient) {
  const name = typeof patient?.displayName === 'string' ? patient.displayName.trim() : '';
  if (name) return name;
  const id = String(patient?.id ?? '').replace(/[^0-9a-z]/gi, '');
  return t('patientShortId', { id: id.slice(0, 6).toUpperCase() || '?' });
}

/** "just now", "4 min", "1 h 5 min", "2 d 3 h". */
export function waitingText(t, milliseconds) {
  const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
  if (minutes < 1) return t('waitJustNow');
  if (minutes < 60) return t('waitMinutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('waitHours', { h: hours, m: minutes % 60 });
  return t('waitDays', { d: Math.floor(hours / 24), h: hours % 24 });
}

/**
 * When the escalation started waiting, as a local timestamp. The browser's clock may be off
 * from the server's; when it is off by more than two minutes the server's own count
 * (waitingMinutes) anchors the ticking instead.
 */
export function waitingAnchor(escalation, nowMs = Date.now()) {
  const since = Date.parse(escalation?.waitingSince ?? '');
  const serverMinutes = Number(escalation?.waitingMinutes);
  if (Number.isFinite(since) && !Number.isFinite(serverMinutes)) return since;
  if (!Number.isFinite(since) && Number.isFinite(serverMinutes)) return nowMs - serverMinutes * 60_000;
  if (!Number.isFinite(since)) return nowMs;
  const skew = Math.abs((nowMs - since) / 60_000 - serverMinutes);
  return skew > 2 ? nowMs - serverMinutes * 60_000 : since;
}

/** "14:05" today, "Mon 14:05" this week, "3 Nov, 14:05" before. */
export function clockTime(uiLocale, iso, nowMs = Date.now()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const time = date.toLocaleTimeString(uiLocale, { hour: 'numeric', minute: '2-digit' });
  const today = new Date(nowMs);
  if (date.toDateString() === today.toDateString()) return time;
  const ageDays = (nowMs - date.getTime()) / 86_400_000;
  if (ageDays < 6) return `${date.toLocaleDateString(uiLocale, { weekday: 'short' })} ${time}`;
  return `${date.toLocaleDateString(uiLocale, { day: 'numeric', month: 'short' })}, ${time}`;
}

/** The full date and time, for a tooltip / datetime attribute. */
export function fullTime(uiLocale, iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(uiLocale, { dateStyle: 'medium', timeStyle: 'short' });
}

function humanize(code) {
  return String(code).replace(/[_:.-]+/g, ' ').trim();
}

function capitalize(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * An ApiError (or anything thrown) as a sentence for the page. The server's reason is shown
 * when there is one: it names the field and the rule ("text: must not be empty").
 *
 * @param {Translate} t
 * @param {unknown} error
 */
export function errorText(t, error) {
  const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : -1;
  const reason = typeof error === 'object' && error !== null && 'reason' in error ? String(error.reason ?? '') : '';
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code ?? '') : '';
  if (status === 0) return code === 'timeout' ? t('errorTimeout') : t('errorNetwork');
  if (status === 401) return t('errorSignedOut');
  if (status === 403) return t('errorForbidden');
  if (status === 404) return t('errorNotFound');
  if (status === 429) return t('errorTooMany');
  if (status >= 500) return t('errorServer');
  return reason ? t('errorWithReason', { reason }) : t('errorServer');
}

/** "Today", "Yesterday", or "Fri, 20 Nov 2026": the separator between days in a transcript. */
export function dayLabel(t, uiLocale, iso, nowMs = Date.now()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date(nowMs);
  if (date.toDateString() === today.toDateString()) return t('today');
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return t('yesterday');
  return date.toLocaleDateString(uiLocale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}
