/**
 * What to do after the socket closed, by WhatsApp's DisconnectReason code (the issue's
 * connection policy). Pure, so the rules are tested without a socket.
 */

export type ReconnectDecision =
  /** 515 after pairing or when the server asks: open a new socket at once. */
  | { action: 'reconnect_now' }
  /** A drop (428, 408, 500, 503, anything unknown): try again after `delayMs`. */
  | { action: 'back_off'; delayMs: number }
  /** 440: another socket uses the same credentials. Pause long, tell someone, never loop. */
  | { action: 'replaced'; delayMs: number }
  /** 401/403: unlinked on the phone or banned. Stop, delete the credentials, needs linking. */
  | { action: 'logged_out' };

export interface BackOffSettings {
  baseMs: number;
  maxMs: number;
  replacedPauseMs: number;
}

export const DISCONNECT = {
  loggedOut: 401,
  forbidden: 403,
  timedOut: 408,
  connectionClosed: 428,
  connectionReplaced: 440,
  badSession: 500,
  unavailableService: 503,
  restartRequired: 515,
} as const;

/**
 * `attempt` counts the drops since the socket was last open (1 for the first). Full jitter:
 * a random delay up to the exponential bound, so many processes or clinics never reconnect
 * in step; never below a tenth of the base, so there is no tight loop.
 */
export function decideReconnect(code: number, attempt: number, settings: BackOffSettings, random: () => number = Math.random): ReconnectDecision {
  if (code === DISCONNECT.restartRequired) return { action: 'reconnect_now' };
  if (code === DISCONNECT.loggedOut || code === DISCONNECT.forbidden) return { action: 'logged_out' };
  if (code === DISCONNECT.connectionReplaced) return { action: 'replaced', delayMs: settings.replacedPauseMs };
  const bound = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  const floor = settings.baseMs / 10;
  return { action: 'back_off', delayMs: Math.round(floor + random() * (bound - floor)) };
}
