// Patient web chat: plain ES module, no build step, no dependencies.
//
// Talks to the server only through:
//   GET  /api/webchat/strings/:locale  → {locale, dir, strings}   (the page's own strings)
//   POST /api/webchat/messages         → {replies: [{text, options?, locale, dir}]}
//   GET  /api/webchat/events?conversationId=…  Server-Sent Events: `outbound` events carry
//        {author: 'bot' | 'staff', authorName?, replies, at?} (staff replies, follow-up notices)
//   GET  /api/webchat/staff-replies?conversationId=…&after=<ISO time>
//        → {replies: [{text, locale, dir, authorName?, at}]}  (staff replies the stream missed)
// Every text that comes from the server is inserted with textContent, never as HTML.

const SUPPORTED_LOCALES = ['en', 'es', 'ru', 'he', 'pt'];
const STORAGE_KEYS = {
  conversation: 'clinic-chat:conversation-id',
  locale: 'clinic-chat:locale',
  history: 'clinic-chat:history',
};
const REQUEST_TIMEOUT_MS = 30_000;
const HISTORY_LIMIT = 200;
/**
 * `after` when the page has shown no staff reply yet: the beginning of time rather than the
 * conversation's start by this device's clock, which may run ahead of the server's. The
 * server returns only this conversation's staff replies either way.
 */
const CONVERSATION_START = '1970-01-01T00:00:00.000Z';

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`webchat: #${id} is missing from the page`);
  return element;
}

const root = document.documentElement;
const els = {
  language: /** @type {HTMLSelectElement} */ (byId('language')),
  newConversation: /** @type {HTMLButtonElement} */ (byId('new-conversation')),
  scroller: byId('scroller'),
  messages: byId('messages'),
  emptyHint: byId('empty-hint'),
  typing: byId('typing'),
  error: byId('error'),
  composer: /** @type {HTMLFormElement} */ (byId('composer')),
  input: /** @type {HTMLTextAreaElement} */ (byId('message-input')),
  send: /** @type {HTMLButtonElement} */ (byId('send-button')),
};

// ---------------------------------------------------------------------------------------
// Storage (private browsing or blocked storage must not break the chat)

/** @param {'localStorage' | 'sessionStorage'} kind */
function storage(kind) {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

/** @param {'localStorage' | 'sessionStorage'} kind @param {string} key */
function storageGet(kind, key) {
  try {
    return storage(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** @param {'localStorage' | 'sessionStorage'} kind @param {string} key @param {string | null} value */
function storageSet(kind, key, value) {
  try {
    const store = storage(kind);
    if (!store) return;
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch {
    // Full or blocked storage: the chat keeps working for this page view.
  }
}

// ---------------------------------------------------------------------------------------
// Ids and languages

/** A random id that works on plain http too (crypto.randomUUID needs a secure context). */
function newId(prefix) {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** "pt-BR" → "pt", "iw" → "he", unknown → null (mirrors src/core/locale.ts). */
function toLocale(tag) {
  if (!tag) return null;
  const base = String(tag).trim().toLowerCase().split(/[-_]/)[0];
  if (base === 'iw') return 'he';
  return SUPPORTED_LOCALES.includes(base) ? base : null;
}

function readBoot() {
  const node = document.getElementById('webchat-boot');
  try {
    const data = JSON.parse(node?.textContent ?? '');
    if (toLocale(data.locale) && data.strings && typeof data.strings === 'object') return data;
  } catch {
    // Fall through to an empty boot; the strings are fetched below.
  }
  return { locale: toLocale(root.lang) ?? 'en', dir: root.dir === 'rtl' ? 'rtl' : 'ltr', strings: {} };
}

/** The patient's saved choice, else the browser's languages, else the clinic default. */
function initialLocale(defaultLocale) {
  const saved = toLocale(storageGet('localStorage', STORAGE_KEYS.locale));
  if (saved) return saved;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const locale = toLocale(tag);
    if (locale) return locale;
  }
  return defaultLocale;
}

// ---------------------------------------------------------------------------------------
// State

const boot = readBoot();
const state = {
  locale: boot.locale,
  dir: boot.dir,
  /** @type {Record<string, string>} */
  strings: boot.strings,
  conversationId: '',
  busy: false,
  /** The message being sent; a retry of the same text reuses its id so it is not processed twice. */
  /** @type {{text: string, messageId: string} | null} */
  pending: null,
  /** @type {string | null} the key of the error on screen, re-translated on a language switch */
  errorKey: null,
  /** @type {Entry[]} */
  history: [],
  /** @type {string | null} ISO time (server's clock) of the newest staff reply shown; saved with the history */
  staffRepliesAt: null,
};

/**
 * @typedef {{id: string, label: string}} ReplyOption
 * @typedef {{role: 'patient' | 'bot' | 'staff', text: string, options?: ReplyOption[],
 *            locale?: string, dir?: 'ltr' | 'rtl', chosen?: number, stale?: boolean,
 *            authorName?: string, at?: string}} Entry
 */

/** @type {WeakMap<Entry, HTMLElement>} */
const nodes = new WeakMap();

/** @param {string} key */
function t(key) {
  return state.strings[key] ?? key;
}

// ---------------------------------------------------------------------------------------
// Page strings and direction

async function fetchWithTimeout(url, init = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

class ChatError extends Error {
  /** @param {'networkError' | 'serverError' | 'tooLong'} key */
  constructor(key) {
    super(key);
    this.key = key;
  }
}

/** @param {string} locale */
async function loadStrings(locale) {
  let response;
  try {
    response = await fetchWithTimeout(`/api/webchat/strings/${encodeURIComponent(locale)}`, {
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new ChatError('networkError');
  }
  if (!response.ok) throw new ChatError('serverError');
  const data = await response.json();
  if (!toLocale(data?.locale) || typeof data.strings !== 'object') throw new ChatError('serverError');
  return data;
}

/** @param {{locale: string, dir: 'ltr' | 'rtl', strings: Record<string, string>}} data */
function applyStrings(data) {
  state.locale = data.locale;
  state.dir = data.dir === 'rtl' ? 'rtl' : 'ltr';
  state.strings = data.strings;
  root.lang = state.locale;
  root.dir = state.dir;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.getAttribute('data-i18n') ?? '');
  }
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(element.getAttribute('data-i18n-placeholder') ?? ''));
  }
  for (const element of document.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', t(element.getAttribute('data-i18n-aria-label') ?? ''));
  }
  // Author labels inside bubbles are in the page's language, not the bubble's. (Only the
  // labels: setting dir on an options list would flip the layout of the bubble's own text.)
  for (const element of els.messages.querySelectorAll('.author[data-i18n]')) {
    element.setAttribute('lang', state.locale);
    element.setAttribute('dir', state.dir);
  }
  document.title = t('title');
  els.language.value = state.locale;
  if (state.errorKey) showError(state.errorKey);
}

/** @param {string} locale */
async function switchLanguage(locale) {
  const previous = state.locale;
  try {
    applyStrings(await loadStrings(locale));
    storageSet('localStorage', STORAGE_KEYS.locale, state.locale);
  } catch (error) {
    els.language.value = previous;
    showError(error instanceof ChatError ? error.key : 'networkError');
  }
}

// ---------------------------------------------------------------------------------------
// Rendering

/** @param {'networkError' | 'serverError' | 'tooLong'} key */
function showError(key) {
  state.errorKey = key;
  els.error.textContent = t(key);
  els.error.hidden = false;
}

function hideError() {
  state.errorKey = null;
  els.error.hidden = true;
  els.error.textContent = '';
}

function updateEmptyHint() {
  els.emptyHint.hidden = els.messages.childElementCount > 0;
}

/** @param {boolean} busy */
function setBusy(busy) {
  state.busy = busy;
  els.typing.hidden = !busy;
  els.messages.setAttribute('aria-busy', String(busy));
  els.send.setAttribute('aria-disabled', String(busy));
  root.classList.toggle('is-busy', busy);
  if (busy) scrollToEnd();
}

function scrollToEnd() {
  els.scroller.scrollTop = els.scroller.scrollHeight;
}

/** Shows the end of the conversation, but never scrolls `node` (the patient's message) out of view. */
function revealFrom(node) {
  const limit = els.scroller.scrollHeight - els.scroller.clientHeight;
  els.scroller.scrollTop = Math.max(0, Math.min(node.offsetTop - 12, limit));
}

/** @param {string} key */
function pageLabel(key, className) {
  const label = document.createElement('span');
  label.className = className;
  label.setAttribute('data-i18n', key);
  label.lang = state.locale;
  label.dir = state.dir;
  label.textContent = t(key);
  return label;
}

/** @param {Entry} entry */
function renderEntry(entry) {
  const message = document.createElement('div');
  message.className = `msg msg--${entry.role}`;
  if (entry.role !== 'patient') {
    if (entry.locale) message.lang = entry.locale;
    message.dir = entry.dir === 'rtl' ? 'rtl' : 'ltr';
  }
  const authorKey = entry.role === 'patient' ? 'you' : entry.role === 'staff' ? 'staff' : 'assistant';
  if (entry.role === 'staff' && entry.authorName) {
    // "Ana · Clinic staff": the name as the clinic wrote it, the label in the page's language.
    const line = document.createElement('div');
    line.className = 'author-line';
    const name = document.createElement('span');
    name.className = 'author-name';
    name.dir = 'auto';
    name.textContent = entry.authorName;
    // A separate separator: flex keeps it between the two in either text direction.
    const separator = document.createElement('span');
    separator.className = 'author-separator';
    separator.setAttribute('aria-hidden', 'true');
    separator.textContent = '·';
    line.append(name, separator, pageLabel(authorKey, 'author'));
    message.append(line);
  } else {
    message.append(pageLabel(authorKey, 'author'));
  }

  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  const text = document.createElement('p');
  text.className = 'text';
  if (entry.role === 'patient') text.dir = 'auto';
  text.textContent = entry.text;
  bubble.append(text);

  if (entry.options?.length) {
    const list = document.createElement('ol');
    list.className = 'options';
    list.setAttribute('data-i18n-aria-label', 'optionsLabel');
    list.setAttribute('aria-label', t('optionsLabel'));
    entry.options.forEach((option, index) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'option';
      button.dataset.option = String(index + 1);
      const number = document.createElement('span');
      number.className = 'option-number';
      number.textContent = `${index + 1}.`;
      const label = document.createElement('span');
      label.className = 'option-label';
      label.textContent = option.label;
      button.append(number, ' ', label);
      item.append(button);
      list.append(item);
    });
    bubble.append(list);
  }
  message.append(bubble);
  nodes.set(entry, message);
  refreshOptions(entry);
  els.messages.append(message);
  updateEmptyHint();
  return message;
}

/** Options of earlier messages are stale once the patient has answered: disabled, choice kept. */
function refreshOptions(entry) {
  const node = nodes.get(entry);
  if (!node) return;
  for (const button of node.querySelectorAll('button.option')) {
    const number = Number(button.dataset.option);
    button.disabled = Boolean(entry.stale);
    button.classList.toggle('is-chosen', entry.chosen === number);
  }
}

function markOptionsStale() {
  for (const entry of state.history) {
    if (entry.options?.length && !entry.stale) {
      entry.stale = true;
      refreshOptions(entry);
    }
  }
}

function saveHistory() {
  const entries = state.history.slice(-HISTORY_LIMIT);
  storageSet(
    'sessionStorage',
    STORAGE_KEYS.history,
    JSON.stringify({ conversationId: state.conversationId, entries, staffRepliesAt: state.staffRepliesAt }),
  );
}

/** @param {Entry} entry */
function pushHistory(entry) {
  state.history.push(entry);
  saveHistory();
}

/** An ISO time as the server sends it, or undefined. @returns {string | undefined} */
function validAt(value) {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

/** Moves the catch-up point forward (never back: replies may arrive out of order). @param {string} at */
function rememberStaffReplyAt(at) {
  if (state.staffRepliesAt === null || Date.parse(at) > Date.parse(state.staffRepliesAt)) {
    state.staffRepliesAt = at;
  }
}

/** A staff reply can arrive twice, live and from the catch-up fetch: its time and text identify it. */
function staffReplyShown(at, text) {
  return state.history.some((entry) => entry.role === 'staff' && entry.at === at && entry.text === text);
}

/** @returns {Entry | null} */
function toEntry(reply, role, authorName, at) {
  if (!reply || typeof reply.text !== 'string') return null;
  const options = Array.isArray(reply.options)
    ? reply.options
        .filter((o) => o && typeof o.label === 'string')
        .map((o) => ({ id: String(o.id), label: o.label }))
    : [];
  /** @type {Entry} */
  const entry = {
    role,
    text: reply.text,
    locale: toLocale(reply.locale) ?? state.locale,
    dir: reply.dir === 'rtl' ? 'rtl' : 'ltr',
  };
  if (options.length) entry.options = options;
  if (role === 'staff' && typeof authorName === 'string' && authorName.trim()) {
    entry.authorName = authorName.trim().slice(0, 80);
  }
  const time = role === 'staff' ? validAt(at) : undefined;
  if (time) entry.at = time;
  return entry;
}

/**
 * Appends one message from the clinic's side and returns its element.
 *
 * Live pushes (staff replies, follow-up notices from the event stream) come through here too,
 * with the same reply shape as POST /api/webchat/messages returns.
 *
 * @param {{text: string, options?: ReplyOption[], locale?: string, dir?: string}} reply
 * @param {'bot' | 'staff'} [from]
 * @param {string} [authorName] the staff member's name, shown beside the "Clinic staff" label
 * @param {string} [at] a staff reply's ISO time; a reply already shown with it is skipped
 */
export function appendReply(reply, from = 'bot', authorName, at) {
  const entry = toEntry(reply, from, authorName, at);
  if (!entry) return null;
  if (entry.at && staffReplyShown(entry.at, entry.text)) return null;
  if (entry.options?.length) markOptionsStale();
  if (entry.at) rememberStaffReplyAt(entry.at);
  pushHistory(entry);
  const node = renderEntry(entry);
  scrollToEnd();
  return node;
}

function restoreHistory() {
  let saved;
  try {
    saved = JSON.parse(storageGet('sessionStorage', STORAGE_KEYS.history) ?? 'null');
  } catch {
    saved = null;
  }
  if (!saved || saved.conversationId !== state.conversationId || !Array.isArray(saved.entries)) return;
  state.staffRepliesAt = validAt(saved.staffRepliesAt) ?? null;
  for (const raw of saved.entries) {
    if (!raw || typeof raw.text !== 'string') continue;
    const role = raw.role === 'patient' || raw.role === 'staff' ? raw.role : 'bot';
    const entry = role === 'patient' ? { role, text: raw.text } : toEntry(raw, role, raw.authorName, raw.at);
    if (!entry) continue;
    if (raw.stale) entry.stale = true;
    if (typeof raw.chosen === 'number') entry.chosen = raw.chosen;
    state.history.push(entry);
    renderEntry(entry);
  }
  scrollToEnd();
}

// ---------------------------------------------------------------------------------------
// Sending

/** @returns {Promise<Array<unknown>>} */
async function postMessage(body) {
  let response;
  try {
    response = await fetchWithTimeout('/api/webchat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ChatError('networkError');
  }
  // The server refuses a body over its size limit before reading it: say so in the page's language.
  if (response.status === 413) throw new ChatError('tooLong');
  if (!response.ok) throw new ChatError('serverError');
  let data;
  try {
    data = await response.json();
  } catch {
    throw new ChatError('serverError');
  }
  if (!data || !Array.isArray(data.replies)) throw new ChatError('serverError');
  return data.replies;
}

/**
 * Sends one patient message and shows the replies.
 * @param {string} text what the assistant receives
 * @param {{display?: string, choice?: {entry: Entry, number: number}}} [extra]
 * @returns {Promise<boolean>} false when it was not sent (the caller keeps the text)
 */
async function sendMessage(text, extra = {}) {
  const trimmed = text.trim();
  if (state.busy || !trimmed) return false;
  hideError();
  const conversationId = state.conversationId;
  const messageId =
    state.pending && state.pending.text === trimmed ? state.pending.messageId : newId('msg-');
  state.pending = { text: trimmed, messageId };

  /** @type {Entry} */
  const entry = { role: 'patient', text: extra.display ?? trimmed };
  const node = renderEntry(entry);
  setBusy(true);
  try {
    const replies = await postMessage({ conversationId, text: trimmed, messageId, locale: state.locale });
    if (conversationId !== state.conversationId) return true; // the patient started over meanwhile
    state.pending = null;
    if (extra.choice) extra.choice.entry.chosen = extra.choice.number;
    markOptionsStale();
    pushHistory(entry);
    for (const reply of replies) appendReply(reply, 'bot');
    revealFrom(node);
    return true;
  } catch (error) {
    node.remove();
    updateEmptyHint();
    if (conversationId === state.conversationId) {
      showError(error instanceof ChatError ? error.key : 'networkError');
    }
    return false;
  } finally {
    setBusy(false);
  }
}

function autoGrow() {
  els.input.style.height = 'auto';
  els.input.style.height = `${els.input.scrollHeight + 2}px`;
}

function startNewConversation() {
  state.conversationId = newId('web-');
  storageSet('localStorage', STORAGE_KEYS.conversation, state.conversationId);
  state.history = [];
  state.staffRepliesAt = null;
  state.pending = null;
  saveHistory();
  els.messages.replaceChildren();
  hideError();
  updateEmptyHint();
  connectLive();
  els.input.focus();
}

// ---------------------------------------------------------------------------------------
// Live pushes: staff replies and follow-up notices arrive on an event stream

const LIVE_RETRY_MIN_MS = 1_000;
const LIVE_RETRY_MAX_MS = 30_000;
const live = {
  /** @type {EventSource | null} */
  source: null,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  retryTimer: undefined,
  retryMs: LIVE_RETRY_MIN_MS,
};

/** @param {string} conversationId @param {MessageEvent} event */
function onPush(conversationId, event) {
  if (conversationId !== state.conversationId) return;
  let push;
  try {
    push = JSON.parse(event.data);
  } catch {
    return;
  }
  if (!push || !Array.isArray(push.replies)) return;
  const from = push.author === 'staff' ? 'staff' : 'bot';
  const authorName = typeof push.authorName === 'string' ? push.authorName : undefined;
  let first = null;
  for (const reply of push.replies) {
    // Not `first ??= appendReply(…)`: that would skip appending every reply after the first.
    const node = appendReply(reply, from, authorName, push.at);
    first ??= node;
  }
  if (first) revealFrom(first);
}

/**
 * Shows the staff replies sent while this conversation had no open stream (page closed,
 * offline, reconnecting). Runs on every `open`; a failure is left to the next one.
 * @param {string} conversationId
 */
async function catchUpStaffReplies(conversationId) {
  const query = new URLSearchParams({ conversationId, after: state.staffRepliesAt ?? CONVERSATION_START });
  let data;
  try {
    const response = await fetchWithTimeout(`/api/webchat/staff-replies?${query}`, { headers: { accept: 'application/json' } });
    if (!response.ok) return;
    data = await response.json();
  } catch {
    return;
  }
  if (conversationId !== state.conversationId || !Array.isArray(data?.replies)) return;
  let first = null;
  for (const reply of data.replies) {
    const node = appendReply(reply, 'staff', reply?.authorName, reply?.at);
    first ??= node;
  }
  if (first) revealFrom(first);
}

/** (Re)opens the stream for the current conversation; one stream per page. */
function connectLive() {
  live.source?.close();
  clearTimeout(live.retryTimer);
  if (typeof EventSource !== 'function') return;
  const conversationId = state.conversationId;
  const source = new EventSource(`/api/webchat/events?conversationId=${encodeURIComponent(conversationId)}`);
  live.source = source;
  source.addEventListener('open', () => {
    live.retryMs = LIVE_RETRY_MIN_MS;
    // Fetched once the stream is open, so a reply sent from now on comes live instead.
    void catchUpStaffReplies(conversationId);
  });
  source.addEventListener('outbound', (event) => onPush(conversationId, /** @type {MessageEvent} */ (event)));
  source.addEventListener('error', () => {
    // While CONNECTING the browser retries by itself; CLOSED (the server refused or is gone
    // for good) is ours to retry, with a growing pause.
    if (source.readyState !== EventSource.CLOSED || live.source !== source) return;
    live.retryTimer = setTimeout(connectLive, live.retryMs);
    live.retryMs = Math.min(live.retryMs * 2, LIVE_RETRY_MAX_MS);
  });
}

// ---------------------------------------------------------------------------------------
// Wiring

els.composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = els.input.value;
  if (state.busy || !text.trim()) return;
  els.input.value = '';
  autoGrow();
  els.input.focus();
  const sent = await sendMessage(text);
  if (!sent && !els.input.value.trim()) {
    els.input.value = text;
    autoGrow();
  }
});

els.input.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  els.composer.requestSubmit();
});

els.input.addEventListener('input', autoGrow);

els.messages.addEventListener('click', async (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const button = target?.closest('button.option');
  if (!(button instanceof HTMLButtonElement) || button.disabled || state.busy) return;
  const entry = state.history.find((candidate) => nodes.get(candidate)?.contains(button));
  if (!entry) return;
  const number = Number(button.dataset.option);
  const label = button.querySelector('.option-label')?.textContent ?? '';
  await sendMessage(String(number), { display: `${number}. ${label}`, choice: { entry, number } });
  els.input.focus();
});

els.language.addEventListener('change', () => {
  const locale = toLocale(els.language.value);
  if (locale && locale !== state.locale) void switchLanguage(locale);
});

els.newConversation.addEventListener('click', startNewConversation);

// ---------------------------------------------------------------------------------------
// Start

state.conversationId = storageGet('localStorage', STORAGE_KEYS.conversation) ?? '';
if (!/^[A-Za-z0-9_-]{1,128}$/.test(state.conversationId)) {
  state.conversationId = newId('web-');
  storageSet('localStorage', STORAGE_KEYS.conversation, state.conversationId);
}
els.language.value = state.locale;
restoreHistory();
updateEmptyHint();
connectLive();
const wanted = initialLocale(boot.locale);
if (wanted !== state.locale || Object.keys(state.strings).length === 0) {
  void switchLanguage(wanted);
}
