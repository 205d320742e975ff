// The "Appointments" tab: today's or tomorrow's appointments (clinic time) with each one's
// reminder and whether the patient confirmed, marking a no-show once the visit's time has come,
// and the counts of what became of the reminders sent in the last 30 days.

import { h, setMessage, whileBusy } from './dom.js';
import { channelName, errorText, fullTime, patientName } from './format.js';

const SUMMARY_DAYS = 30;

/**
 * @typedef {import('./format.js').Translate} Translate
 * @typedef {{offsetMinutes: number, sentAt: string, mode: 'prompt' | 'info', status: 'sent' | 'undeliverable',
 *            failure: string | null, outcome: 'confirmed' | 'changed' | 'cancelled' | null}} ReminderJson
 * @typedef {{id: string, startsAt: string, endsAt: string, status: string, channel: string | null,
 *            service: {name: string}, doctor: {name: string},
 *            patient: {id: string, displayName: string | null, locale: string | null, remindersOff: boolean},
 *            reminders: ReminderJson[], nextReminderAt: string | null, noReminderReason: string | null,
 *            started: boolean}} AppointmentJson
 *
 * @param {{
 *   t: Translate,
 *   formatLocale: string,
 *   api: import('./api.js').Api,
 *   confirm: (question: {title: string, text: string, ok: string}) => Promise<boolean>,
 *   els: {
 *     today: HTMLButtonElement, tomorrow: HTMLButtonElement, refresh: HTMLButtonElement,
 *     date: HTMLElement, body: HTMLElement, empty: HTMLElement, error: HTMLElement,
 *     status: HTMLElement, counts: HTMLElement,
 *   },
 * }} options
 */
export function createAppointmentsTab(options) {
  const { t, api, els } = options;
  /** @type {'today' | 'tomorrow'} */
  let day = 'today';
  let timeZone = 'UTC';

  const time = (iso, withDay = false) =>
    new Date(iso).toLocaleString(options.formatLocale, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      ...(withDay ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
    });

  async function load() {
    setMessage(els.error, '');
    els.today.setAttribute('aria-pressed', String(day === 'today'));
    els.tomorrow.setAttribute('aria-pressed', String(day === 'tomorrow'));
    try {
      const [list, summary] = await Promise.all([api.listAppointments(day), api.reminderSummary(SUMMARY_DAYS)]);
      timeZone = typeof list?.timeZone === 'string' ? list.timeZone : timeZone;
      const appointments = Array.isArray(list?.appointments) ? list.appointments : [];
      els.date.textContent = t('appointmentsDate', { date: dateLabel(list?.date), count: appointments.length });
      els.body.replaceChildren(...appointments.map(renderRow));
      els.empty.hidden = appointments.length > 0;
      renderCounts(summary);
    } catch (error) {
      setMessage(els.error, errorText(t, error));
    }
  }

  function dateLabel(isoDate) {
    if (typeof isoDate !== 'string') return '';
    const [year, month, date] = isoDate.split('-').map(Number);
    return new Date(Date.UTC(year, month - 1, date, 12)).toLocaleDateString(options.formatLocale, {
      timeZone: 'UTC',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
  }

  /** @param {AppointmentJson} appointment */
  function renderRow(appointment) {
    const status = h('span', { className: `badge status status--${appointment.status}`, text: t(`appointmentStatus_${appointment.status}`) });
    const actions = h('td', { className: 'appointment-actions' });
    if (appointment.started && (appointment.status === 'booked' || appointment.status === 'confirmed')) {
      const noShow = h('button', {
        className: 'button button--small button--secondary',
        text: t('markNoShow'),
        attrs: { type: 'button', 'aria-label': t('markNoShowFor', { name: patientName(t, appointment.patient), time: time(appointment.startsAt) }) },
      });
      noShow.addEventListener('click', () => void markNoShow(appointment, noShow));
      actions.append(noShow);
    }
    return h('tr', { dataset: { appointmentId: appointment.id } }, [
      h('td', { className: 'appointment-time' }, [
        h('time', { text: time(appointment.startsAt), attrs: { datetime: appointment.startsAt, title: fullTime(options.formatLocale, appointment.startsAt) } }),
      ]),
      h('td', {}, [
        h('span', { className: 'user-name', text: patientName(t, appointment.patient) }),
        appointment.patient.remindersOff ? h('span', { className: 'muted-line', text: t('patientRemindersOff') }) : null,
      ]),
      h('td', {}, [h('span', { text: appointment.service.name }), h('span', { className: 'muted-line', text: appointment.doctor.name })]),
      h('td', { text: appointment.channel ? channelName(t, appointment.channel) : t('channelNone') }),
      h('td', { className: 'reminder-cell' }, reminderLines(appointment)),
      h('td', {}, [status]),
      actions,
    ]);
  }

  /** @param {AppointmentJson} appointment */
  function reminderLines(appointment) {
    const lines = appointment.reminders.map((reminder) => {
      if (reminder.status === 'undeliverable') {
        return h('span', { className: 'reminder reminder--failed', text: t('reminderUndeliverable', { time: time(reminder.sentAt, true), reason: reminder.failure ?? '' }) });
      }
      const sent = t(reminder.mode === 'info' ? 'reminderSentInfo' : 'reminderSent', { time: time(reminder.sentAt, true) });
      const answer = reminder.outcome ? t(`reminderOutcome_${reminder.outcome}`) : t('reminderNoAnswer');
      return h('span', { className: `reminder reminder--${reminder.outcome ?? 'open'}`, text: `${sent} · ${answer}` });
    });
    if (appointment.nextReminderAt) lines.push(h('span', { className: 'reminder reminder--planned', text: t('reminderPlanned', { time: time(appointment.nextReminderAt, true) }) }));
    if (lines.length === 0) lines.push(h('span', { className: 'muted-line', text: t(`reminderNone_${appointment.noReminderReason ?? 'none'}`) }));
    return lines;
  }

  /** @param {AppointmentJson} appointment @param {HTMLButtonElement} button */
  async function markNoShow(appointment, button) {
    const name = patientName(t, appointment.patient);
    const ok = await options.confirm({
      title: t('confirmNoShowTitle', { name }),
      text: t('confirmNoShowText', { name, time: time(appointment.startsAt), service: appointment.service.name }),
      ok: t('markNoShow'),
    });
    if (!ok) return;
    await whileBusy(button, async () => {
      try {
        await api.markNoShow(appointment.id);
        setMessage(els.status, t('noShowMarked', { name }));
        await load();
      } catch (error) {
        setMessage(els.error, errorText(t, error));
      }
    });
  }

  function renderCounts(summary) {
    const figures = ['sent', 'confirmed', 'changed', 'cancelled', 'notAnswered', 'undeliverable'];
    els.counts.replaceChildren(
      ...figures.map((key) =>
        h('div', { className: `count count--${key}` }, [
          h('dt', { text: t(`count_${key}`) }),
          h('dd', { text: String(Number(summary?.[key] ?? 0)) }),
        ]),
      ),
    );
  }

  els.today.addEventListener('click', () => {
    day = 'today';
    setMessage(els.status, '');
    void load();
  });
  els.tomorrow.addEventListener('click', () => {
    day = 'tomorrow';
    setMessage(els.status, '');
    void load();
  });
  els.refresh.addEventListener('click', () => void whileBusy(els.refresh, load));

  return {
    load,
    reset() {
      day = 'today';
      els.body.replaceChildren();
      els.counts.replaceChildren();
      setMessage(els.error, '');
      setMessage(els.status, '');
    },
  };
}
