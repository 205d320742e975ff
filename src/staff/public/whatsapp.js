// The "WhatsApp" tab, for admins: the linked number's status, live from its own event stream
// (/staff/api/whatsapp/events); the QR code as an image that changes as WhatsApp rotates it;
// a pairing code for a phone number as the alternative; unlinking. Whatever process of the
// app holds the number carries the commands out, so buttons only ask and the stream answers.

import { setMessage, whileBusy } from './dom.js';
import { clockTime, errorText } from './format.js';
import { createLiveFeed } from './live.js';

/**
 * @typedef {{
 *   enabled: boolean, state?: string, phone?: string | null, qrImage?: string | null,
 *   pairingCode?: string | null, retryAt?: string | null, owner?: string | null, since?: string,
 *   lastDisconnect?: {code: number, at: string} | null,
 * }} WhatsAppStatus
 *
 * @param {{
 *   t: import('./format.js').Translate,
 *   formatLocale: string,
 *   api: import('./api.js').Api,
 *   confirm: (question: {title: string, text: string, ok: string}) => Promise<boolean>,
 *   onState: (state: string) => void,
 *   els: Record<string, HTMLElement>,
 * }} options
 */
export function createWhatsAppTab(options) {
  const { t, api, els } = options;
  /** @type {WhatsAppStatus | null} */
  let status = null;

  const feed = createLiveFeed({
    url: '/staff/api/whatsapp/events',
    eventTypes: ['whatsapp.status'],
    onState: () => undefined,
    onEvent: (_type, data) => show(/** @type {WhatsAppStatus} */ (data)),
    onResync: () => void load(),
    stillSignedIn: async () => true,
  });

  async function load() {
    try {
      show(await api.whatsappStatus());
      setMessage(els.error, '');
    } catch (error) {
      setMessage(els.error, errorText(t, error));
    }
  }

  /** @param {WhatsAppStatus} next */
  function show(next) {
    status = next;
    const state = next.enabled ? (next.state ?? 'no_owner') : 'disabled';
    options.onState(state);
    els.badge.dataset.state = state;
    els.badge.textContent = t(`waBadge_${state}`);
    els.headline.textContent = t(`waState_${state}`, { phone: formatPhone(next.phone) });
    els.detail.textContent = detailOf(next, state);
    els.meta.textContent = metaOf(next, state);

    const scanning = state === 'waiting_for_scan';
    els.scan.hidden = !scanning;
    const qr = /** @type {HTMLImageElement} */ (els.qr);
    if (scanning && next.qrImage && !next.pairingCode) {
      if (qr.src !== next.qrImage) qr.src = next.qrImage;
      qr.alt = t('waQrAlt');
      qr.hidden = false;
    } else {
      qr.hidden = true;
      qr.removeAttribute('src');
    }
    els.code.hidden = !(scanning && next.pairingCode);
    els.code.textContent = next.pairingCode ?? '';
    els.steps.replaceChildren(
      ...(scanning ? (next.pairingCode ? ['waCodeStep1', 'waCodeStep2', 'waCodeStep3'] : ['waQrStep1', 'waQrStep2', 'waQrStep3']) : []).map((key) => {
        const item = document.createElement('li');
        item.textContent = t(key);
        return item;
      }),
    );
    els.link.hidden = !['not_linked', 'logged_out', 'waiting_for_scan', 'linking'].includes(state);
    // While one way of linking is on screen, only the other one is offered.
    els.linkQrOption.hidden = scanning && !next.pairingCode;
    els.pairForm.hidden = scanning && Boolean(next.pairingCode);
    els.connected.hidden = !['connected', 'reconnecting', 'replaced', 'connecting'].includes(state);
  }

  function detailOf(next, state) {
    if (state === 'reconnecting' || state === 'replaced') {
      return next.retryAt ? t(`waDetail_${state}`, { time: clockTime(options.formatLocale, next.retryAt) }) : '';
    }
    if (state === 'logged_out') return t('waDetail_logged_out');
    if (state === 'not_linked' && next.lastDisconnect) return t('waDetail_not_linked_after');
    return '';
  }

  function metaOf(next, state) {
    if (!next.enabled || !next.since) return '';
    const parts = [t('waSince', { time: clockTime(options.formatLocale, next.since) })];
    if (next.owner && state !== 'no_owner') parts.push(t('waOwner', { owner: next.owner }));
    if (next.lastDisconnect) {
      parts.push(t('waLastDisconnect', { code: next.lastDisconnect.code, reason: t(`waCode_${next.lastDisconnect.code}`), time: clockTime(options.formatLocale, next.lastDisconnect.at) }));
    }
    return parts.join(' · ');
  }

  function formatPhone(phone) {
    return phone ? `\u2066${phone}\u2069` : '';
  }

  els.linkQr.addEventListener('click', async () => {
    setMessage(els.error, '');
    await whileBusy(/** @type {HTMLButtonElement} */ (els.linkQr), async () => {
      try {
        await api.whatsappLink();
      } catch (error) {
        setMessage(els.error, errorText(t, error));
      }
    });
  });

  els.pairForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ (els.phone);
    const phone = input.value.trim();
    if (!phone) {
      setMessage(els.pairError, t('waPhoneMissing'));
      input.focus();
      return;
    }
    setMessage(els.pairError, '');
    await whileBusy(/** @type {HTMLButtonElement} */ (els.pair), async () => {
      try {
        await api.whatsappPairingCode(phone);
      } catch (error) {
        setMessage(els.pairError, errorText(t, error));
      }
    });
  });

  els.unlink.addEventListener('click', async () => {
    const ok = await options.confirm({
      title: t('waConfirmUnlinkTitle'),
      text: t('waConfirmUnlinkText', { phone: formatPhone(status?.phone) }),
      ok: t('waUnlink'),
    });
    if (!ok) return;
    await whileBusy(/** @type {HTMLButtonElement} */ (els.unlink), async () => {
      try {
        await api.whatsappUnlink();
      } catch (error) {
        setMessage(els.error, errorText(t, error));
      }
    });
  });

  return {
    /** Opens the live status while the tab is shown. */
    async open() {
      await load();
      if (status?.enabled) feed.start();
    },
    close() {
      feed.stop();
    },
    /** The tab's dot shows the state even while another tab is open. */
    async peek() {
      try {
        const next = await api.whatsappStatus();
        options.onState(next.enabled ? (next.state ?? 'no_owner') : 'disabled');
      } catch {
        options.onState('unknown');
      }
    },
  };
}
