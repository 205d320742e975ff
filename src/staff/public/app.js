// Staff console: plain ES module, no build step, no dependencies.
//
// Talks only to /staff/api/ (see api.js) with the httpOnly session cookie, and listens to
// /staff/api/events (live.js). Every text that comes from the server — patient messages,
// names, reasons — is inserted as text, never as HTML.
//
// The console's own words are all in STRINGS below, so it can be localized in one place.
// `{name}` is filled from the parameters; a key with `_one` / `_other` variants is chosen by
// the `count` parameter.

import { createStaffAdmin, MIN_PASSWORD_LENGTH } from './admin.js';
import { ApiError, createApi } from './api.js';
import { createAppointmentsTab } from './appointments.js';
import { createConversationPane } from './conversation.js';
import { createDialogs } from './dialogs.js';
import { byId, setMessage, whileBusy } from './dom.js';
import { errorText } from './format.js';
import { createLiveFeed } from './live.js';
import { createQueue } from './queue.js';
import { createWhatsAppTab } from './whatsapp.js';

const STRINGS = {
  loading: 'Loading…',
  pageTitle: 'Staff console',
  pageTitleWaiting_one: '({count}) Staff console',
  pageTitleWaiting_other: '({count}) Staff console',

  // sign-in
  signInTitle: 'Staff console',
  signInSubtitle: 'Sign in to answer patients who asked for a person.',
  emailLabel: 'Email',
  passwordLabel: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInMissing: 'Enter your email and password.',
  signInRefused: 'Wrong email or password, or the account is disabled.',
  signInTooMany: 'Too many attempts. Wait a few minutes, then try again.',
  signedOutNotice: 'You have signed out.',
  sessionEndedNotice: 'Your session has ended. Please sign in again.',

  // top bar
  consoleTitle: 'Staff console',
  sectionsLabel: 'Sections',
  tabQueue: 'Queue',
  tabAppointments: 'Appointments',
  tabStaff: 'Staff',
  queueTabCount_one: '{count} waiting',
  queueTabCount_other: '{count} waiting',
  signOut: 'Sign out',
  roleTag_staff: 'Staff',
  roleTag_admin: 'Admin',
  live_connecting: 'Connecting…',
  live_live: 'Live',
  live_reconnecting: 'Reconnecting…',
  live_offline: 'Offline',
  liveTitle_live: 'New requests and messages appear by themselves.',
  liveTitle_connecting: 'Connecting to live updates…',
  liveTitle_reconnecting: 'The live connection dropped; reconnecting. The queue refreshes every minute meanwhile.',
  liveTitle_offline: 'This computer is offline.',

  // queue
  queueTitle: 'Waiting for staff',
  queueSummary: '{open} open · {claimed} claimed',
  queueEmptyTitle: 'No one is waiting.',
  queueEmptyText: 'New requests appear here by themselves.',
  newTag: 'New',
  overdueTag: 'Overdue',
  waitingFor: 'Waiting',
  notClaimed: 'Not claimed',
  claimedBy: 'Claimed by {name}',
  claimedByMe: 'Claimed by you',
  announceNew: 'New in the queue: {urgency}, {name}, {reason}.',
  patientShortId: 'Patient #{id}',

  urgency_urgent: 'Urgent',
  urgency_high: 'High',
  urgency_medium: 'Medium',
  urgency_low: 'Low',

  reason_patient_request: 'Asked to talk to a person',
  reason_bot_failed: 'The assistant could not help',
  reason_staff_takeover: 'Taken over from the clinic phone',
  reason_emergency: 'Emergency',
  reason_emergencyKind: 'Emergency: {kind}',
  emergency_chest_pain: 'chest pain',
  emergency_breathing: 'difficulty breathing',
  emergency_bleeding: 'heavy bleeding',
  emergency_unconscious: 'loss of consciousness',
  emergency_allergic_reaction: 'severe allergic reaction',
  emergency_suicidal: 'suicidal thoughts',
  emergency_severe_swelling: 'severe swelling',
  emergency_trauma: 'injury',

  channel_webchat: 'Web chat',
  channel_whatsapp: 'WhatsApp',
  channel_teams: 'Teams',
  channel_cli: 'Terminal chat',

  waitJustNow: 'just now',
  waitMinutes: '{m} min',
  waitHours: '{h} h {m} min',
  waitDays: '{d} d {h} h',
  today: 'Today',
  yesterday: 'Yesterday',

  // conversation
  pickConversation: 'Choose a conversation in the queue to read it and reply.',
  loadingTranscript: 'Loading the conversation…',
  conversationUnavailable: 'Conversation not available',
  transcriptLabel: 'Conversation',
  transcriptEmpty: 'No messages yet.',
  factUrgency: 'Urgency',
  factReason: 'Reason',
  factChannel: 'Channel',
  factLanguage: "Patient's language",
  factWaiting: 'Waiting',
  factFollowUps: 'Raised again',
  followUps_one: 'once: nobody answered in time',
  followUps_other: '{count} times: nobody answered in time',
  languageUnknown: 'Not known yet',
  author_patient: 'Patient',
  author_bot: 'Assistant',
  author_staff: 'Clinic staff',
  claim: 'Claim',
  resolve: 'Resolve',
  statusOpen: 'Waiting for someone to claim it. The patient has been told a person will answer.',
  statusMine: 'You are handling this conversation. The assistant stays silent until you resolve it.',
  statusTaken: '{name} is handling this conversation.',
  statusResolved: 'Resolved: the assistant answers this patient again.',
  replyLabel: 'Reply to the patient',
  replyPlaceholder: 'Write a reply…',
  send: 'Send',
  hintKeys: 'Enter sends · Shift+Enter starts a new line. The patient sees it as a message from clinic staff.',
  hintClaimFirst: 'Claim this conversation to reply.',
  hintTakenBy: 'Only {name} can reply while they handle it.',
  hintResolved: 'This conversation is back with the assistant.',
  confirmResolveTitle: 'Hand this conversation back to the assistant?',
  confirmResolveText:
    "The assistant will answer {name}'s next message and you can no longer reply here. Resolve only when the patient needs nothing more from staff.",
  confirmResolveOk: 'Resolve and hand back',
  cancel: 'Cancel',

  // appointments and reminders
  appointmentsTitle: 'Appointments',
  appointmentsDate_one: '{date} · {count} appointment',
  appointmentsDate_other: '{date} · {count} appointments',
  appointmentsEmpty: 'No appointments on this day.',
  dayLabel: 'Day',
  dayToday: 'Today',
  dayTomorrow: 'Tomorrow',
  refresh: 'Refresh',
  colTime: 'Time',
  colPatient: 'Patient',
  colService: 'Service',
  colChannel: 'Booked on',
  colReminder: 'Reminder',
  colConfirmation: 'Status',
  channelNone: 'Not through the assistant',
  patientRemindersOff: 'Turned reminders off',
  appointmentStatus_booked: 'Booked',
  appointmentStatus_confirmed: 'Confirmed',
  appointmentStatus_cancelled: 'Cancelled',
  appointmentStatus_no_show: 'No-show',
  reminderSent: 'Sent {time}',
  reminderSentInfo: 'Sent {time} as information (the patient was busy or with staff)',
  reminderNoAnswer: 'no answer yet',
  reminderOutcome_confirmed: 'confirmed',
  reminderOutcome_changed: 'changed the time',
  reminderOutcome_cancelled: 'cancelled',
  reminderUndeliverable: 'Could not be delivered ({time}): {reason}',
  reminderPlanned: 'Planned for {time}',
  reminderNone_not_booked_here: 'None: not booked through the assistant',
  reminderNone_patient_off: 'None: the patient turned reminders off',
  reminderNone_clinic_off: 'None: reminders are off for the clinic',
  reminderNone_not_booked_status: 'None',
  reminderNone_none: 'None: booked too close to the visit',
  markNoShow: 'Mark no-show',
  markNoShowFor: 'Mark {name} ({time}) as a no-show',
  confirmNoShowTitle: 'Mark {name} as a no-show?',
  confirmNoShowText: '{name} did not come to {service} at {time}. This is recorded with your name.',
  noShowMarked: '{name} is marked as a no-show.',
  remindersTitle: 'Reminders in the last 30 days',
  count_sent: 'Sent',
  count_confirmed: 'Confirmed',
  count_changed: 'Changed',
  count_cancelled: 'Cancelled',
  count_notAnswered: 'Not answered',
  count_undeliverable: 'Undeliverable',

  // staff accounts
  usersTitle: 'Staff accounts',
  colName: 'Name',
  colEmail: 'Email',
  colRole: 'Role',
  colStatus: 'Status',
  colActions: 'Actions',
  roleStaff: 'Staff',
  roleAdmin: 'Admin',
  roleOf: 'Role of {name}',
  stateActive: 'Active',
  stateDisabled: 'Disabled',
  youTag: 'you',
  userSince: 'Added {date}',
  cannotChangeSelf: 'Ask another admin to change your own role or account.',
  setPassword: 'Set password',
  setPasswordFor: 'Set a new password for {name}',
  enable: 'Enable',
  disable: 'Disable',
  enableUser: 'Enable {name}',
  disableUser: 'Disable {name}',
  confirmDisableTitle: 'Disable {name}?',
  confirmDisableText: 'They are signed out at once and can no longer sign in. You can enable the account again later.',
  addUserTitle: 'Add a staff member',
  displayNameLabel: 'Name',
  displayNameHint: 'Patients see it next to this person\'s replies, e.g. "Ana".',
  roleLabel: 'Role',
  newPasswordLabel: 'Password',
  passwordHint: 'At least 12 characters. Give it to the person privately.',
  addUser: 'Add staff member',
  userAdded: '{name} can now sign in.',
  roleChanged: '{name} is now {role}.',
  userDisabled: '{name} is disabled.',
  userEnabled: '{name} is enabled again.',
  passwordChanged: 'New password set for {name}. They are signed out everywhere.',

  // errors
  errorNetwork: 'Could not reach the server. Check the connection and try again.',
  errorTimeout: 'The server took too long to answer. Try again.',
  errorServer: 'Something went wrong on the server. Try again in a moment.',
  errorSignedOut: 'Your session has ended. Please sign in again.',
  errorForbidden: 'Your account is not allowed to do this.',
  errorNotFound: 'This is no longer available. It may have been resolved.',
  errorTooMany: 'Too many requests. Wait a moment and try again.',
  errorWithReason: 'Not done: {reason}.',
  errorAlreadyClaimed: 'Already claimed by {name}.',
  errorEmptyReply: 'Write a reply first.',
  errorNameRequired: 'Enter a name.',
  errorEmailInvalid: 'Enter a valid email address.',
  errorPasswordShort: 'The password needs at least {min} characters.',
  errorEmailTaken: 'There is already an account for {email}.',

  // WhatsApp (admins)
  tabWhatsApp: 'WhatsApp',
  waTitle: 'WhatsApp number',
  waBadge_connected: 'Connected',
  waBadge_connecting: 'Connecting',
  waBadge_reconnecting: 'Reconnecting',
  waBadge_replaced: 'Paused',
  waBadge_not_linked: 'Not linked',
  waBadge_linking: 'Linking',
  waBadge_waiting_for_scan: 'Waiting for the phone',
  waBadge_logged_out: 'Needs linking',
  waBadge_no_owner: 'Unknown',
  waBadge_disabled: 'Off',
  waState_connected: 'Connected as {phone}',
  waState_connecting: 'Connecting {phone}…',
  waState_reconnecting: 'The connection dropped; reconnecting {phone}',
  waState_replaced: 'Another device or program is using this number’s link',
  waState_not_linked: 'No WhatsApp number is linked',
  waState_linking: 'Getting a code from WhatsApp…',
  waState_waiting_for_scan: 'Waiting for the clinic’s phone',
  waState_logged_out: 'Logged out: the number needs linking again',
  waState_no_owner: 'No running process holds the WhatsApp connection right now',
  waState_disabled: 'WhatsApp is not enabled on this server (WHATSAPP_ENABLED)',
  waDetail_reconnecting: 'Next try at {time}. Patients’ messages wait on WhatsApp meanwhile; nothing is lost.',
  waDetail_replaced: 'Paused until {time} so the two do not keep pushing each other off. If nobody else should use it, unlink and link again.',
  waDetail_logged_out: 'The phone unlinked this device, or WhatsApp blocked the number. The stored credentials were deleted; link the number again.',
  waDetail_not_linked_after: 'The last linking attempt ended without a link. Start again when the phone is at hand.',
  waSince: 'Since {time}',
  waOwner: 'held by {owner}',
  waLastDisconnect: 'last disconnect: {code} {reason} at {time}',
  waCode_401: '(logged out)',
  waCode_403: '(blocked)',
  waCode_408: '(connection lost)',
  waCode_428: '(connection closed)',
  waCode_440: '(replaced)',
  waCode_500: '(session error)',
  waCode_503: '(WhatsApp unavailable)',
  waCode_515: '(restart)',
  waQrAlt: 'QR code to link the clinic’s WhatsApp number',
  waQrStep1: 'On the clinic’s phone open WhatsApp → Settings → Linked devices.',
  waQrStep2: 'Tap “Link a device” and point the phone at this code.',
  waQrStep3: 'The code changes every few seconds; scan the one shown.',
  waCodeStep1: 'On the clinic’s phone open WhatsApp → Settings → Linked devices → Link a device.',
  waCodeStep2: 'Tap “Link with phone number instead”.',
  waCodeStep3: 'Type this code on the phone.',
  waLinkQrTitle: 'Link with a QR code',
  waLinkQrHint: 'Shows a code to scan with the clinic’s phone.',
  waLinkQr: 'Show QR code',
  waLinkCodeTitle: 'Link with a phone number',
  waPhoneLabel: 'The clinic’s WhatsApp number',
  waPhoneHint: 'With the country code. You then type a code on the phone instead of scanning.',
  waPhoneMissing: 'Enter the clinic’s WhatsApp number.',
  waGetCode: 'Get a pairing code',
  waUnlink: 'Unlink this number',
  waUnlinkHint: 'Patients then get no answers on WhatsApp until a number is linked again.',
  waConfirmUnlinkTitle: 'Unlink the WhatsApp number?',
  waConfirmUnlinkText: 'The assistant stops answering on {phone}, and its stored credentials are deleted. You can link a number again at any time.',
  waAdviceTitle: 'Keeping the number safe',
  waAdvice1: 'The assistant uses WhatsApp’s web protocol (not the official Business API): WhatsApp may block numbers that behave like bulk senders.',
  waAdvice2: 'It only answers patients who write first, and it paces its messages. Do not use this number for mass messages or group posts.',
  waAdvice3: 'Keep the clinic’s phone online now and then. Typing into a patient’s chat on that phone takes the conversation over from the assistant.',
};

const UI_LOCALE = 'en';
/** Dates and times follow the computer's own settings (24-hour clock or not), words stay English. */
const FORMAT_LOCALE = navigator.language || UI_LOCALE;
const TICK_MS = 15_000;
/** How often the queue is reloaded anyway: often while the live feed is down, rarely as a safety net. */
const POLL_OFFLINE_MS = 60_000;
const POLL_LIVE_MS = 5 * 60_000;

const plurals = new Intl.PluralRules(UI_LOCALE);

/** @param {string} key @param {Record<string, string | number>} [params] */
function t(key, params = {}) {
  const count = params.count;
  const pluralKey = typeof count === 'number' ? `${key}_${plurals.select(count)}` : null;
  const template =
    (pluralKey && STRINGS[pluralKey]) ?? STRINGS[key] ?? (pluralKey ? STRINGS[`${key}_other`] : undefined) ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

// ---------------------------------------------------------------------------------------
// Elements and static strings

const els = {
  booting: byId('booting'),
  signinView: byId('signin-view'),
  signinForm: /** @type {HTMLFormElement} */ (byId('signin-form')),
  signinEmail: /** @type {HTMLInputElement} */ (byId('signin-email')),
  signinPassword: /** @type {HTMLInputElement} */ (byId('signin-password')),
  signinButton: /** @type {HTMLButtonElement} */ (byId('signin-button')),
  signinError: byId('signin-error'),
  signinNotice: byId('signin-notice'),
  consoleView: byId('console-view'),
  tabQueue: /** @type {HTMLButtonElement} */ (byId('tab-queue')),
  tabAppointments: /** @type {HTMLButtonElement} */ (byId('tab-appointments')),
  tabStaff: /** @type {HTMLButtonElement} */ (byId('tab-staff')),
  tabWhatsApp: /** @type {HTMLButtonElement} */ (byId('tab-whatsapp')),
  tabWhatsAppDot: byId('tab-whatsapp-dot'),
  whatsappView: byId('whatsapp-view'),
  queueView: byId('queue-view'),
  appointmentsView: byId('appointments-view'),
  staffView: byId('staff-view'),
  connection: byId('connection'),
  connectionText: byId('connection-text'),
  meName: byId('me-name'),
  meRole: byId('me-role'),
  signOut: /** @type {HTMLButtonElement} */ (byId('sign-out')),
  queueError: byId('queue-error'),
};

function applyStaticStrings() {
  document.documentElement.lang = UI_LOCALE;
  for (const element of document.querySelectorAll('[data-s]')) {
    element.textContent = t(element.getAttribute('data-s') ?? '');
  }
  for (const element of document.querySelectorAll('[data-s-aria-label]')) {
    element.setAttribute('aria-label', t(element.getAttribute('data-s-aria-label') ?? ''));
  }
  document.title = t('pageTitle');
}

// ---------------------------------------------------------------------------------------
// State

/** @type {{id: string, email: string, displayName: string, role: 'staff' | 'admin'} | null} */
let me = null;
let pollTimer = 0;
let tickTimer = 0;
const myId = () => me?.id ?? null;

const dialogs = createDialogs({ t, minPasswordLength: MIN_PASSWORD_LENGTH });

const api = createApi({ onUnauthorized: () => leaveConsole(t('sessionEndedNotice')) });

const queue = createQueue({
  t,
  uiLocale: UI_LOCALE,
  formatLocale: FORMAT_LOCALE,
  els: {
    list: byId('queue-list'),
    empty: byId('queue-empty'),
    summary: byId('queue-summary'),
    announcer: byId('queue-announcer'),
    tabCount: byId('tab-queue-count'),
  },
  myId,
  onOpen: (id) => openConversation(id),
});

const conversation = createConversationPane({
  t,
  uiLocale: UI_LOCALE,
  formatLocale: FORMAT_LOCALE,
  api,
  myId,
  isAdmin: () => me?.role === 'admin',
  confirm: (question) => dialogs.confirm(question),
  queueItem: (id) => queue.get(id),
  refreshQueue: () => refreshQueue(),
  els: {
    placeholder: byId('conversation-placeholder'),
    body: byId('conversation-body'),
    title: byId('conversation-title'),
    facts: byId('conversation-facts'),
    claim: /** @type {HTMLButtonElement} */ (byId('claim-button')),
    resolve: /** @type {HTMLButtonElement} */ (byId('resolve-button')),
    status: byId('conversation-status'),
    error: byId('conversation-error'),
    transcript: byId('transcript'),
    replyForm: /** @type {HTMLFormElement} */ (byId('reply-form')),
    replyInput: /** @type {HTMLTextAreaElement} */ (byId('reply-input')),
    replySend: /** @type {HTMLButtonElement} */ (byId('reply-send')),
    replyHint: byId('reply-hint'),
  },
});

const admin = createStaffAdmin({
  t,
  uiLocale: UI_LOCALE,
  formatLocale: FORMAT_LOCALE,
  api,
  myId,
  confirm: (question) => dialogs.confirm(question),
  askPassword: (title) => dialogs.askPassword(title),
  els: {
    body: byId('users-body'),
    error: byId('users-error'),
    status: byId('users-status'),
    form: /** @type {HTMLFormElement} */ (byId('add-user-form')),
    formError: byId('add-user-error'),
    formButton: /** @type {HTMLButtonElement} */ (byId('add-user-button')),
  },
});

const appointments = createAppointmentsTab({
  t,
  formatLocale: FORMAT_LOCALE,
  api,
  confirm: (question) => dialogs.confirm(question),
  els: {
    today: /** @type {HTMLButtonElement} */ (byId('day-today')),
    tomorrow: /** @type {HTMLButtonElement} */ (byId('day-tomorrow')),
    refresh: /** @type {HTMLButtonElement} */ (byId('appointments-refresh')),
    date: byId('appointments-date'),
    body: byId('appointments-body'),
    empty: byId('appointments-empty'),
    error: byId('appointments-error'),
    status: byId('appointments-status'),
    counts: byId('reminder-counts'),
  },
});

const whatsapp = createWhatsAppTab({
  t,
  formatLocale: FORMAT_LOCALE,
  api,
  confirm: (question) => dialogs.confirm(question),
  onState: (state) => {
    els.tabWhatsAppDot.dataset.state = state;
    els.tabWhatsApp.title = t(`waBadge_${state}`);
  },
  els: {
    error: byId('wa-error'),
    badge: byId('wa-badge'),
    headline: byId('wa-headline'),
    detail: byId('wa-detail'),
    meta: byId('wa-meta'),
    scan: byId('wa-scan'),
    qr: byId('wa-qr'),
    code: byId('wa-code'),
    steps: byId('wa-steps'),
    link: byId('wa-link'),
    linkQr: byId('wa-link-qr'),
    linkQrOption: byId('wa-link-qr-option'),
    pairForm: byId('wa-pair-form'),
    phone: byId('wa-phone'),
    pair: byId('wa-pair'),
    pairError: byId('wa-pair-error'),
    connected: byId('wa-connected'),
    unlink: byId('wa-unlink'),
  },
});

const live = createLiveFeed({
  url: '/staff/api/events',
  onState: showConnection,
  onEvent: onLiveEvent,
  onResync: () => {
    void refreshQueue();
    void conversation.reload();
  },
  stillSignedIn: async () => {
    try {
      await api.getSession();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        leaveConsole(t('sessionEndedNotice'));
        return false;
      }
      return true;
    }
  },
});

// ---------------------------------------------------------------------------------------
// Queue refresh: events arrive in bursts, so refreshes are coalesced into one at a time.

let refreshing = null;
let refreshAgain = false;

function refreshQueue() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        refreshAgain = false;
        const items = await api.listEscalations();
        if (!me) return;
        queue.update(Array.isArray(items) ? items : []);
        conversation.followQueue();
        updateTitle(items);
        setMessage(els.queueError, '');
      } while (refreshAgain);
    } catch (error) {
      if (me) setMessage(els.queueError, errorText(t, error));
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function updateTitle(items) {
  const open = Array.isArray(items) ? items.filter((item) => item.status !== 'claimed').length : 0;
  document.title = open > 0 ? t('pageTitleWaiting', { count: open }) : t('pageTitle');
}

function onLiveEvent(type, data) {
  if (type === 'escalation.changed') void refreshQueue();
  else if (type === 'conversation.message') {
    conversation.onMessage(data);
    // The queue shows each conversation's last message.
    void refreshQueue();
  }
}

/** @param {import('./live.js').LiveState} state */
function showConnection(state) {
  els.connection.dataset.state = state;
  els.connectionText.textContent = t(`live_${state}`);
  els.connection.title = t(`liveTitle_${state}`);
  schedulePoll();
}

function schedulePoll() {
  clearTimeout(pollTimer);
  if (!me) return;
  pollTimer = window.setTimeout(
    () => {
      void refreshQueue();
      schedulePoll();
    },
    live.isLive() ? POLL_LIVE_MS : POLL_OFFLINE_MS,
  );
}

// ---------------------------------------------------------------------------------------
// Opening a conversation (remembered in the address, so a reload reopens it)

function openConversation(id) {
  queue.select(id);
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  void conversation.open(id);
}

function idFromAddress() {
  const id = decodeURIComponent(location.hash.slice(1));
  return /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null;
}

// ---------------------------------------------------------------------------------------
// Views: sign-in ⇄ console; inside the console, Queue ⇄ Staff

function showSignIn(notice = '') {
  els.booting.hidden = true;
  els.consoleView.hidden = true;
  els.signinView.hidden = false;
  setMessage(els.signinNotice, notice);
  setMessage(els.signinError, '');
  els.signinPassword.value = '';
  (els.signinEmail.value ? els.signinPassword : els.signinEmail).focus();
}

async function enterConsole(user) {
  me = user;
  els.booting.hidden = true;
  els.signinView.hidden = true;
  els.consoleView.hidden = false;
  els.meName.textContent = user.displayName;
  els.meRole.textContent = t(`roleTag_${user.role}`);
  els.tabStaff.hidden = user.role !== 'admin';
  els.tabWhatsApp.hidden = user.role !== 'admin';
  if (user.role === 'admin') void whatsapp.peek();
  showTab('queue');
  live.start();
  tickTimer = window.setInterval(() => {
    queue.tick();
    conversation.tick();
  }, TICK_MS);
  await refreshQueue();
  const wanted = idFromAddress();
  if (wanted && me) openConversation(wanted);
}

/** Back to the sign-in form, forgetting everything the signed-in user saw. */
function leaveConsole(notice) {
  if (!me) return;
  me = null;
  live.stop();
  whatsapp.close();
  clearTimeout(pollTimer);
  clearInterval(tickTimer);
  conversation.close();
  queue.reset();
  appointments.reset();
  dialogs.closeAll();
  history.replaceState(null, '', location.pathname);
  document.title = t('pageTitle');
  showSignIn(notice);
}

/** Tabs only admins see. */
const ADMIN_TABS = ['staff', 'whatsapp'];

/** @param {'queue' | 'appointments' | 'staff' | 'whatsapp'} wanted */
function showTab(wanted) {
  const tab = ADMIN_TABS.includes(wanted) && me?.role !== 'admin' ? 'queue' : wanted;
  const tabs = {
    queue: [els.tabQueue, els.queueView],
    appointments: [els.tabAppointments, els.appointmentsView],
    staff: [els.tabStaff, els.staffView],
    whatsapp: [els.tabWhatsApp, els.whatsappView],
  };
  for (const [name, [button, view]] of Object.entries(tabs)) {
    view.hidden = name !== tab;
    if (name === tab) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (tab === 'staff') void admin.load();
  if (tab === 'appointments') void appointments.load();
  if (tab === 'whatsapp') void whatsapp.open();
  else whatsapp.close();
}

// ---------------------------------------------------------------------------------------
// Wiring

els.signinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = els.signinEmail.value.trim();
  const password = els.signinPassword.value;
  setMessage(els.signinNotice, '');
  if (!email || !password) {
    setMessage(els.signinError, t('signInMissing'));
    (email ? els.signinPassword : els.signinEmail).focus();
    return;
  }
  setMessage(els.signinError, '');
  els.signinButton.textContent = t('signingIn');
  await whileBusy(els.signinButton, async () => {
    try {
      const data = await api.signIn(email, password);
      els.signinPassword.value = '';
      await enterConsole(data.user);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : -1;
      setMessage(
        els.signinError,
        status === 401 ? t('signInRefused') : status === 429 ? t('signInTooMany') : errorText(t, error),
      );
      els.signinPassword.select();
      els.signinPassword.focus();
    }
  });
  els.signinButton.textContent = t('signIn');
});

els.signOut.addEventListener('click', async () => {
  await whileBusy(els.signOut, async () => {
    await api.signOut().catch(() => undefined);
  });
  leaveConsole(t('signedOutNotice'));
});

els.tabQueue.addEventListener('click', () => showTab('queue'));
els.tabAppointments.addEventListener('click', () => showTab('appointments'));
els.tabStaff.addEventListener('click', () => showTab('staff'));
els.tabWhatsApp.addEventListener('click', () => showTab('whatsapp'));

// ---------------------------------------------------------------------------------------
// Start

applyStaticStrings();
showConnection('connecting');
try {
  const data = await api.getSession();
  if (data?.user) await enterConsole(data.user);
  else showSignIn();
} catch (error) {
  showSignIn(error instanceof ApiError && error.status === 401 ? '' : errorText(t, error));
}
