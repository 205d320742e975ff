// The console's live feed: Server-Sent Events from /staff/api/events.
//
// EventSource retries by itself after a dropped connection, but gives up for good when the
// server answers with an error status (a restart in progress, an expired session). Then we
// retry ourselves with growing pauses, asking `stillSignedIn` first so an ended session leads
// to the sign-in form instead of an endless loop. After every reconnect `onResync` runs: events
// sent while we were away are lost, so the page reloads what it shows.

const EVENT_TYPES = ['escalation.changed', 'conversation.message'];
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/**
 * @typedef {'connecting' | 'live' | 'reconnecting' | 'offline'} LiveState
 * @param {{
 *   url: string,
 *   eventTypes?: string[],
 *   onEvent: (type: string, data: unknown) => void,
 *   onState: (state: LiveState) => void,
 *   onResync: () => void,
 *   stillSignedIn: () => Promise<boolean>,
 * }} options
 */
export function createLiveFeed(options) {
  /** @type {EventSource | null} */
  let source = null;
  let retryTimer = 0;
  let retryDelay = FIRST_RETRY_MS;
  let everOpened = false;
  let stopped = true;

  function setState(state) {
    options.onState(navigator.onLine === false ? 'offline' : state);
  }

  function connect() {
    if (stopped) return;
    setState(everOpened ? 'reconnecting' : 'connecting');
    const current = new EventSource(options.url, { withCredentials: true });
    source = current;
    current.addEventListener('open', () => {
      if (source !== current) return;
      retryDelay = FIRST_RETRY_MS;
      setState('live');
      if (everOpened) options.onResync();
      everOpened = true;
    });
    current.addEventListener('error', () => {
      if (source !== current) return;
      if (current.readyState === EventSource.CLOSED) {
        scheduleRetry();
      } else {
        setState('reconnecting');
      }
    });
    for (const type of options.eventTypes ?? EVENT_TYPES) {
      current.addEventListener(type, (event) => {
        if (source !== current) return;
        const data = parse(/** @type {MessageEvent} */ (event).data);
        if (data !== undefined) options.onEvent(type, data);
      });
    }
  }

  function scheduleRetry() {
    source?.close();
    source = null;
    setState('reconnecting');
    clearTimeout(retryTimer);
    retryTimer = window.setTimeout(async () => {
      if (stopped) return;
      const signedIn = await options.stillSignedIn().catch(() => true);
      if (!signedIn || stopped) return;
      connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, LONGEST_RETRY_MS);
  }

  function onOnline() {
    if (stopped) return;
    // Reconnect at once instead of waiting out a long back-off.
    retryDelay = FIRST_RETRY_MS;
    if (!source || source.readyState === EventSource.CLOSED) scheduleRetry();
    else setState(source.readyState === EventSource.OPEN ? 'live' : 'reconnecting');
  }

  function onOffline() {
    if (!stopped) options.onState('offline');
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      everOpened = false;
      retryDelay = FIRST_RETRY_MS;
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
      connect();
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
      source = null;
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    },
    /** True while events are flowing; the page polls as a fallback otherwise. */
    isLive() {
      return source?.readyState === EventSource.OPEN;
    },
  };
}

function parse(raw) {
  try {
    return JSON.parse(String(raw));
  } catch {
    return undefined;
  }
}
