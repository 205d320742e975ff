// The live queue (left pane): one button per escalation, in the server's order (urgency, then
// longest waiting). Escalations that arrive while the console is open are marked "New" until
// someone opens them and are announced to screen readers; changed ones flash briefly.

import { h } from './dom.js';
import { channelName, languageName, patientName, reasonText, urgencyLabel, waitingAnchor, waitingText } from './format.js';

const FLASH_MS = 4_000;

/**
 * @typedef {import('./format.js').Translate} Translate
 * @typedef {{id: string, displayName: string}} StaffRef
 * @typedef {{
 *   id: string, urgency: string, reason: string, status: string, channel: string,
 *   conversationId: string, patient: {id: string, displayName: string | null, locale: string | null},
 *   waitingSince: string, waitingMinutes: number, claimedBy: StaffRef | null,
 *   lastMessage: {text: string, at: string} | null,
 * }} Escalation
 *
 * @param {{
 *   t: Translate,
 *   uiLocale: string,
 *   formatLocale?: string,
 *   els: {list: HTMLElement, empty: HTMLElement, summary: HTMLElement, announcer: HTMLElement, tabCount: HTMLElement},
 *   myId: () => string | null,
 *   onOpen: (id: string) => void,
 * }} options
 */
export function createQueue(options) {
  const { t, els } = options;
  /** @type {Escalation[]} */
  let items = [];
  /** @type {Map<string, string>} what each item looked like at the last render */
  let signatures = new Map();
  /** Arrived while the console was open and not opened yet. */
  const unseen = new Set();
  /** @type {Map<string, number>} flash end times */
  const flashing = new Map();
  /** @type {Map<string, number>} escalation id → local time its wait started */
  const anchors = new Map();
  let loaded = false;
  /** @type {Map<string, {key: string, element: HTMLElement}>} the element of each entry on screen */
  const rendered = new Map();
  /** @type {string | null} */
  let selectedId = null;

  function signature(item) {
    return [item.urgency, item.status, item.claimedBy?.id ?? '', item.lastMessage?.at ?? '', item.reason].join('|');
  }

  /** @param {Escalation[]} next */
  function update(next) {
    const now = Date.now();
    const arrived = [];
    const nextSignatures = new Map();
    for (const item of next) {
      const sig = signature(item);
      nextSignatures.set(item.id, sig);
      anchors.set(item.id, waitingAnchor(item, now));
      const before = signatures.get(item.id);
      if (!loaded || before === sig) continue;
      if (before === undefined) {
        if (item.claimedBy?.id !== options.myId()) unseen.add(item.id);
        arrived.push(item);
      }
      flashing.set(item.id, now + FLASH_MS);
    }
    for (const id of anchors.keys()) if (!nextSignatures.has(id)) anchors.delete(id);
    for (const id of unseen) if (!nextSignatures.has(id)) unseen.delete(id);
    items = next;
    signatures = nextSignatures;
    loaded = true;
    render();
    announce(arrived);
    if (arrived.length > 0 || flashing.size > 0) window.setTimeout(expireFlashes, FLASH_MS + 50);
  }

  function expireFlashes() {
    const now = Date.now();
    for (const [id, until] of flashing) {
      if (until > now) continue;
      flashing.delete(id);
      rendered.get(id)?.element.classList.remove('is-updated');
    }
  }

  function announce(arrived) {
    if (arrived.length === 0) return;
    for (const item of arrived) {
      const line = t('announceNew', {
        urgency: urgencyLabel(t, item.urgency),
        name: patientName(t, item.patient),
        reason: reasonText(t, item.reason),
      });
      els.announcer.append(h('p', { text: line }));
    }
    // Keep the live region short; screen readers have already read what was added.
    while (els.announcer.childElementCount > 5) els.announcer.firstElementChild?.remove();
  }

  /**
   * Rebuilds only the entries whose content changed and moves the rest into place, so an
   * unchanged entry keeps its element: hover, focus and a running highlight survive the
   * frequent refreshes a busy queue gets.
   */
  function render() {
    const focusedId = document.activeElement?.closest?.('.queue-item')?.getAttribute('data-id') ?? null;
    const wanted = items.map((item) => {
      const key = contentKey(item);
      const previous = rendered.get(item.id);
      const element = previous?.key === key ? previous.element : renderItem(item);
      rendered.set(item.id, { key, element });
      element.classList.toggle('is-updated', flashing.has(item.id));
      fillWaiting(element, item.id);
      return element;
    });
    for (const id of [...rendered.keys()]) if (!items.some((item) => item.id === id)) rendered.delete(id);
    wanted.forEach((element, index) => {
      const present = els.list.children[index] ?? null;
      if (present !== element) els.list.insertBefore(element, present);
    });
    while (els.list.children.length > wanted.length) els.list.lastElementChild?.remove();
    els.empty.hidden = items.length > 0;
    const open = items.filter((item) => item.status !== 'claimed').length;
    const claimed = items.length - open;
    els.summary.textContent = items.length ? t('queueSummary', { open, claimed }) : '';
    els.tabCount.textContent = String(open);
    els.tabCount.hidden = open === 0;
    els.tabCount.setAttribute('aria-label', t('queueTabCount', { count: open }));
    const focusLost = focusedId && !els.list.contains(document.activeElement);
    if (focusLost) els.list.querySelector(`[data-id="${CSS.escape(focusedId)}"] button`)?.focus();
  }

  /** Everything an entry shows except the ticking wait (filled in place) and the flash. */
  function contentKey(item) {
    const shown = { ...item, waitingMinutes: 0 };
    return JSON.stringify([shown, item.id === selectedId, unseen.has(item.id), options.myId()]);
  }

  /** @param {Escalation} item */
  function renderItem(item) {
    const mine = item.claimedBy && item.claimedBy.id === options.myId();
    const classes = ['queue-item', `urgency-${item.urgency}`];
    if (item.id === selectedId) classes.push('is-selected');
    if (unseen.has(item.id)) classes.push('is-new');
    if (item.status === 'claimed') classes.push(mine ? 'is-mine' : 'is-taken');

    const locale = item.patient?.locale ?? null;
    const claim = item.claimedBy
      ? mine
        ? t('claimedByMe')
        : t('claimedBy', { name: item.claimedBy.displayName })
      : t('notClaimed');
    const button = h('button', { className: 'queue-button', attrs: { type: 'button', 'aria-current': item.id === selectedId ? 'true' : null } }, [
      h('span', { className: 'queue-row' }, [
        h('span', { className: `badge badge--${item.urgency}`, text: urgencyLabel(t, item.urgency) }),
        h('span', { className: 'queue-name', text: patientName(t, item.patient), attrs: { dir: 'auto' } }),
        item.followUps > 0 ? h('span', { className: 'overdue-tag', text: t('overdueTag') }) : null,
        unseen.has(item.id) ? h('span', { className: 'new-tag', text: t('newTag') }) : null,
        h('span', { className: 'queue-wait' }, [
          h('span', { className: 'visually-hidden', text: t('waitingFor') }),
          h('time', { className: 'wait-value', attrs: { datetime: item.waitingSince } }),
        ]),
      ]),
      h('span', { className: 'queue-reason', text: reasonText(t, item.reason) }),
      item.lastMessage
        ? h('span', { className: 'queue-last', text: item.lastMessage.text, attrs: { dir: 'auto', lang: locale } })
        : null,
      h('span', { className: 'queue-row queue-row--meta' }, [
        h('span', { className: 'queue-channel', text: channelLine(item, locale) }),
        h('span', { className: `queue-claim${item.claimedBy ? ' is-claimed' : ''}`, text: claim }),
      ]),
    ]);
    const element = h('li', { className: classes.join(' '), dataset: { id: item.id } }, [button]);
    button.addEventListener('click', () => options.onOpen(item.id));
    fillWaiting(element, item.id);
    return element;
  }

  function channelLine(item, locale) {
    const parts = [channelName(t, item.channel)];
    if (locale) parts.push(languageName(options.uiLocale, locale));
    return parts.join(' · ');
  }

  function fillWaiting(element, id) {
    const node = element.querySelector('.wait-value');
    if (node) node.textContent = waitingText(t, Date.now() - (anchors.get(id) ?? Date.now()));
  }

  /** Arrow keys move between queue items; Home/End jump to the ends. */
  els.list.addEventListener('keydown', (event) => {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (!keys.includes(event.key)) return;
    const buttons = [...els.list.querySelectorAll('.queue-button')];
    const index = buttons.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (index < 0) return;
    event.preventDefault();
    const target =
      event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : index + (event.key === 'ArrowDown' ? 1 : -1);
    /** @type {HTMLElement | undefined} */ (buttons[Math.max(0, Math.min(buttons.length - 1, target))])?.focus();
  });

  return {
    update,
    /** Re-renders the waiting times only (called every few seconds). */
    tick() {
      for (const element of els.list.querySelectorAll('.queue-item')) {
        fillWaiting(element, element.getAttribute('data-id') ?? '');
      }
    },
    /** @param {string | null} id */
    select(id) {
      selectedId = id;
      if (id) unseen.delete(id);
      render();
    },
    /** @returns {Escalation | undefined} */
    get(id) {
      return items.find((item) => item.id === id);
    },
    /** Local time the escalation started waiting (for the open conversation's own clock). */
    anchor(id) {
      return anchors.get(id);
    },
    reset() {
      items = [];
      signatures = new Map();
      unseen.clear();
      flashing.clear();
      anchors.clear();
      rendered.clear();
      loaded = false;
      selectedId = null;
      els.announcer.replaceChildren();
      render();
      els.empty.hidden = true;
    },
  };
}
