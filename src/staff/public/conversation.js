// The open conversation (right pane): who is waiting and why, the transcript (kept live from
// the event feed), Claim / Resolve, and the reply box, usable only once you have claimed it.
//
// The transcript is fetched once per opening (every fetch is an audited "view"); after that it
// grows from `conversation.message` events, and the header follows the queue's data.

import { h, setMessage, whileBusy } from './dom.js';
import {
  channelName,
  clockTime,
  dayLabel,
  errorText,
  fullTime,
  languageName,
  patientName,
  reasonText,
  urgencyLabel,
  waitingAnchor,
  waitingText,
} from './format.js';

/**
 * @typedef {import('./format.js').Translate} Translate
 * @typedef {import('./queue.js').Escalation} Escalation
 * @typedef {{author: 'patient' | 'bot' | 'staff', authorName?: string | null, text: string, at: string, locale?: string | null}} Entry
 * @typedef {{
 *   placeholder: HTMLElement, body: HTMLElement, title: HTMLElement, facts: HTMLElement,
 *   claim: HTMLButtonElement, resolve: HTMLButtonElement, status: HTMLElement, error: HTMLElement,
 *   transcript: HTMLElement, replyForm: HTMLFormElement, replyInput: HTMLTextAreaElement,
 *   replySend: HTMLButtonElement, replyHint: HTMLElement,
 * }} ConversationElements
 *
 * @param {{
 *   t: Translate,
 *   uiLocale: string,
 *   formatLocale: string,
 *   els: ConversationElements,
 *   api: import('./api.js').Api,
 *   myId: () => string | null,
 *   isAdmin: () => boolean,
 *   confirm: (question: {title: string, text: string, ok: string}) => Promise<boolean>,
 *   queueItem: (id: string) => Escalation | undefined,
 *   refreshQueue: () => Promise<void>,
 * }} options
 */
export function createConversationPane(options) {
  const { t, els, api } = options;

  /** @type {{id: string, escalation: Escalation, resolved: boolean, anchor: number} | null} */
  let current = null;
  /** Keys of the entries on screen, so an event for an entry already shown is not shown twice. */
  let shown = new Set();
  /** Replies this console sent that the event feed has not echoed yet (by text). */
  let ownPending = [];
  /** The reply in flight: the feed's echo of it may arrive before the POST's answer does. */
  /** @type {{text: string, echoed: boolean} | null} */
  let sending = null;
  let lastDay = '';
  let openToken = 0;

  const entryKey = (entry) => `${entry.author}\u0000${entry.at}\u0000${entry.text}`;
  const isMine = (escalation) => Boolean(escalation.claimedBy) && escalation.claimedBy?.id === options.myId();

  // ---- opening ------------------------------------------------------------------------

  async function open(id) {
    const token = ++openToken;
    setMessage(els.error, '');
    els.placeholder.hidden = true;
    els.body.hidden = false;
    els.body.setAttribute('aria-busy', 'true');
    const fromQueue = options.queueItem(id);
    current = fromQueue ? { id, escalation: fromQueue, resolved: false, anchor: waitingAnchor(fromQueue) } : null;
    if (current) renderHeader();
    else showUnavailable(t('loadingTranscript'));
    els.transcript.replaceChildren(h('p', { className: 'transcript-loading', text: t('loadingTranscript') }));
    try {
      const data = await api.getEscalation(id);
      if (token !== openToken) return;
      const escalation = { ...data.escalation, patient: data.patient ?? data.escalation?.patient };
      current = { id, escalation, resolved: escalation.status === 'resolved', anchor: waitingAnchor(escalation) };
      renderHeader();
      renderTranscript(Array.isArray(data.transcript) ? data.transcript : []);
    } catch (error) {
      if (token !== openToken) return;
      els.transcript.replaceChildren();
      setMessage(els.error, errorText(t, error));
      if (!current) showUnavailable(t('conversationUnavailable'));
    } finally {
      if (token === openToken) els.body.removeAttribute('aria-busy');
    }
  }

  /** The pane without an escalation to act on (loading from a link, or gone): nothing to press. */
  function showUnavailable(title) {
    els.title.textContent = title;
    els.facts.replaceChildren();
    els.claim.hidden = true;
    els.resolve.hidden = true;
    els.replyForm.hidden = true;
    els.status.textContent = '';
    els.status.dataset.state = 'none';
  }

  function close() {
    openToken++;
    current = null;
    shown = new Set();
    ownPending = [];
    sending = null;
    els.body.hidden = true;
    els.placeholder.hidden = false;
    els.transcript.replaceChildren();
    els.replyInput.value = '';
  }

  // ---- header and actions -------------------------------------------------------------

  function renderHeader() {
    if (!current) return;
    const escalation = current.escalation;
    const patient = escalation.patient ?? { id: '', displayName: null, locale: null };
    els.title.textContent = patientName(t, patient);
    els.title.setAttribute('dir', 'auto');

    const locale = patient.locale;
    const facts = [
      [t('factUrgency'), h('span', { className: `badge badge--${escalation.urgency}`, text: urgencyLabel(t, escalation.urgency) })],
      [t('factReason'), reasonText(t, escalation.reason)],
      [t('factChannel'), channelName(t, escalation.channel)],
      [t('factLanguage'), locale ? `${languageName(options.uiLocale, locale)} (${locale})` : t('languageUnknown')],
    ];
    if (!current.resolved) {
      facts.push([t('factWaiting'), h('time', { className: 'wait-value', attrs: { datetime: escalation.waitingSince } })]);
    }
    const followUps = Number(escalation.followUps) || 0;
    if (followUps > 0) facts.push([t('factFollowUps'), t('followUps', { count: followUps })]);
    els.facts.replaceChildren(
      ...facts.map(([term, value]) => h('div', { className: 'fact' }, [h('dt', { text: term }), h('dd', {}, [value])])),
    );
    tick();
    renderActions();
  }

  function renderActions() {
    if (!current) return;
    const escalation = current.escalation;
    const mine = isMine(escalation);
    const takenByOther = escalation.status === 'claimed' && !mine;
    const closed = current.resolved;

    els.claim.hidden = mine || closed;
    els.claim.disabled = takenByOther;
    els.claim.textContent = takenByOther ? t('claimedBy', { name: escalation.claimedBy?.displayName ?? '?' }) : t('claim');
    // The server lets the claimer resolve, and an admin resolve any escalation.
    els.resolve.hidden = closed || !(mine || options.isAdmin());

    // Once handed back there is nothing to write here: the form goes, the status line stays.
    els.replyForm.hidden = closed;
    const canReply = mine && !closed;
    els.replyInput.disabled = !canReply;
    els.replySend.disabled = !canReply;
    els.replyInput.placeholder = canReply ? t('replyPlaceholder') : '';
    els.replyHint.textContent = closed
      ? t('hintResolved')
      : mine
        ? t('hintKeys')
        : takenByOther
          ? t('hintTakenBy', { name: escalation.claimedBy?.displayName ?? '?' })
          : t('hintClaimFirst');

    els.status.textContent = closed
      ? t('statusResolved')
      : mine
        ? t('statusMine')
        : takenByOther
          ? t('statusTaken', { name: escalation.claimedBy?.displayName ?? '?' })
          : t('statusOpen');
    els.status.dataset.state = closed ? 'resolved' : mine ? 'mine' : takenByOther ? 'taken' : 'open';
  }

  function tick() {
    if (!current) return;
    const node = els.facts.querySelector('.wait-value');
    if (!node) return;
    node.textContent = waitingText(t, Date.now() - current.anchor);
  }

  async function claim() {
    if (!current) return;
    const id = current.id;
    setMessage(els.error, '');
    await whileBusy(els.claim, async () => {
      try {
        const data = await api.claim(id);
        if (current?.id !== id) return;
        if (data?.escalation) current.escalation = { ...current.escalation, ...data.escalation };
        else current.escalation = { ...current.escalation, status: 'claimed', claimedBy: { id: options.myId() ?? '', displayName: '' } };
        await options.refreshQueue();
        els.replyInput.disabled = false;
        els.replyInput.focus();
      } catch (error) {
        if (error?.status === 409) {
          await options.refreshQueue();
          const holder = options.queueItem(id)?.claimedBy?.displayName;
          setMessage(els.error, holder ? t('errorAlreadyClaimed', { name: holder }) : errorText(t, error));
        } else {
          setMessage(els.error, errorText(t, error));
        }
      }
    });
    renderActions();
  }

  async function resolve() {
    if (!current) return;
    const id = current.id;
    const name = patientName(t, current.escalation.patient);
    const confirmed = await options.confirm({
      title: t('confirmResolveTitle'),
      text: t('confirmResolveText', { name }),
      ok: t('confirmResolveOk'),
    });
    if (!confirmed || current?.id !== id) return;
    setMessage(els.error, '');
    await whileBusy(els.resolve, async () => {
      try {
        await api.resolve(id);
        if (current?.id !== id) return;
        current.resolved = true;
        await options.refreshQueue();
      } catch (error) {
        setMessage(els.error, errorText(t, error));
      }
    });
    renderActions();
    if (current?.resolved) els.status.focus();
  }

  // ---- transcript ---------------------------------------------------------------------

  /** @param {Entry[]} entries */
  function renderTranscript(entries) {
    shown = new Set();
    ownPending = [];
    lastDay = '';
    els.transcript.replaceChildren();
    for (const entry of entries) appendEntry(entry);
    if (entries.length === 0) {
      els.transcript.append(h('p', { className: 'transcript-empty', text: t('transcriptEmpty') }));
    }
    els.transcript.scrollTop = els.transcript.scrollHeight;
  }

  /** @param {Entry} entry */
  function appendEntry(entry) {
    if (!entry || typeof entry.text !== 'string') return;
    const key = entryKey(entry);
    if (shown.has(key)) return;
    shown.add(key);
    els.transcript.querySelector('.transcript-empty')?.remove();

    const nearBottom = els.transcript.scrollHeight - els.transcript.scrollTop - els.transcript.clientHeight < 80;
    const day = new Date(entry.at).toDateString();
    if (day !== lastDay) {
      lastDay = day;
      els.transcript.append(h('p', { className: 'day', text: dayLabel(t, options.formatLocale, entry.at) }));
    }
    els.transcript.append(renderEntry(entry));
    if (nearBottom) els.transcript.scrollTop = els.transcript.scrollHeight;
  }

  /** @param {Entry} entry */
  function renderEntry(entry) {
    const author = ['patient', 'bot', 'staff'].includes(entry.author) ? entry.author : 'bot';
    const locale = entry.locale ?? (author === 'patient' ? current?.escalation.patient?.locale : null) ?? null;
    const meta = h('p', { className: 'entry-meta' }, [
      h('span', { className: 'entry-author', text: authorLabel(author, entry.authorName) }),
      h('time', {
        className: 'entry-time',
        text: clockTime(options.formatLocale, entry.at),
        attrs: { datetime: entry.at, title: fullTime(options.formatLocale, entry.at) },
      }),
      locale
        ? h('abbr', {
            className: 'entry-lang',
            text: locale.toUpperCase(),
            attrs: { title: languageName(options.uiLocale, locale) },
          })
        : null,
    ]);
    const text = h('p', { className: 'entry-text', text: entry.text, attrs: { dir: 'auto', lang: locale } });
    return h('article', { className: `entry entry--${author}` }, [meta, h('div', { className: 'entry-bubble' }, [text])]);
  }

  /** "Ana · Clinic staff" for a staff reply, as the patient saw it; the role alone otherwise. */
  function authorLabel(author, authorName) {
    const role = t(`author_${author}`);
    return author === 'staff' && authorName ? `${authorName} · ${role}` : role;
  }

  /** A reply this console sent and the server accepted: shown at once, its echo skipped later. */
  function appendOwnReply(text, confirmed) {
    ownPending.push(text);
    appendEntry(confirmed ?? { author: 'staff', text, at: new Date().toISOString(), locale: null });
  }

  // ---- reply --------------------------------------------------------------------------

  async function sendReply() {
    if (!current || els.replySend.disabled) return;
    const text = els.replyInput.value.trim();
    if (!text) {
      setMessage(els.error, t('errorEmptyReply'));
      els.replyInput.focus();
      return;
    }
    const id = current.id;
    setMessage(els.error, '');
    els.replyInput.readOnly = true;
    const attempt = { text, echoed: false };
    sending = attempt;
    await whileBusy(els.replySend, async () => {
      try {
        const data = await api.reply(id, text);
        if (current?.id !== id) return;
        els.replyInput.value = '';
        if (!attempt.echoed) appendOwnReply(text, data?.entry && typeof data.entry.text === 'string' ? data.entry : null);
      } catch (error) {
        setMessage(els.error, errorText(t, error));
        if (error?.status === 409) await options.refreshQueue();
      } finally {
        if (sending === attempt) sending = null;
        els.replyInput.readOnly = false;
      }
    });
    renderActions();
    els.replyInput.focus();
  }

  els.replyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void sendReply();
  });
  els.replyInput.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void sendReply();
  });
  els.claim.addEventListener('click', () => void claim());
  els.resolve.addEventListener('click', () => void resolve());

  return {
    open,
    close,
    tick,
    /** @returns {string | null} */
    openId: () => current?.id ?? null,
    /** The queue changed: follow the open escalation's claim and urgency, notice its end. */
    followQueue() {
      if (!current) return;
      const item = options.queueItem(current.id);
      if (item) {
        current.escalation = { ...current.escalation, ...item, patient: current.escalation.patient ?? item.patient };
        current.anchor = waitingAnchor(item);
        current.resolved = false;
      } else if (current.escalation.status !== 'resolved') {
        // No longer waiting for staff: someone resolved it (or it was handed back).
        current.resolved = true;
      }
      renderHeader();
    },
    /** A transcript line from the event feed. */
    onMessage(data) {
      if (!current || !data?.entry) return;
      const escalation = current.escalation;
      if (data.channel !== escalation.channel || data.conversationId !== escalation.conversationId) return;
      const entry = /** @type {Entry} */ (data.entry);
      if (entry.author === 'staff' && sending && !sending.echoed && sending.text === entry.text) {
        sending.echoed = true;
        appendEntry(entry);
        return;
      }
      const pending = entry.author === 'staff' ? ownPending.indexOf(entry.text) : -1;
      if (pending >= 0) {
        ownPending.splice(pending, 1);
        shown.add(entryKey(entry));
        return;
      }
      appendEntry(entry);
    },
    /** After a reconnect: events may have been missed, so reload the open conversation. */
    async reload() {
      if (current && !current.resolved) await open(current.id);
    },
  };
}
