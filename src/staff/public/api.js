// The console's JSON client for /staff/api/. Every failure becomes an ApiError with the HTTP
// status and the server's own reason, so the page can say in words what went wrong.

const REQUEST_TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  /**
   * @param {number} status 0 when the server could not be reached
   * @param {string} code the server's `error` field ('network' / 'timeout' for status 0)
   * @param {string} reason the server's `reason` field, or '' when there was none
   */
  constructor(status, code, reason) {
    super(reason || code);
    this.status = status;
    this.code = code;
    this.reason = reason;
  }
}

/**
 * @param {{onUnauthorized: () => void}} hooks called when a signed-in request answers 401
 *   (the session expired or was ended elsewhere)
 */
export function createApi(hooks) {
  /**
   * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
   * @param {string} path below /staff/api/, without the leading slash
   * @param {unknown} [body] sent as JSON when given
   * @param {{quiet401?: boolean}} [options] quiet401: a 401 is an expected answer (sign-in)
   */
  async function request(method, path, body, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    /** @type {HeadersInit} */
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(`/staff/api/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'AbortError';
      throw new ApiError(0, timedOut ? 'timeout' : 'network', '');
    } finally {
      clearTimeout(timer);
    }
    const data = await readJson(response);
    if (response.ok) return data;
    const code = typeof data?.error === 'string' ? data.error : `http_${response.status}`;
    const reason = typeof data?.reason === 'string' ? data.reason : '';
    if (response.status === 401 && !options.quiet401) hooks.onUnauthorized();
    throw new ApiError(response.status, code, reason);
  }

  return {
    getSession: () => request('GET', 'session', undefined, { quiet401: true }),
    signIn: (email, password) => request('POST', 'session', { email, password }, { quiet401: true }),
    signOut: () => request('DELETE', 'session', undefined, { quiet401: true }),
    listEscalations: () => request('GET', 'escalations'),
    getEscalation: (id) => request('GET', `escalations/${encodeURIComponent(id)}`),
    claim: (id) => request('POST', `escalations/${encodeURIComponent(id)}/claim`, {}),
    reply: (id, text) => request('POST', `escalations/${encodeURIComponent(id)}/reply`, { text }),
    resolve: (id) => request('POST', `escalations/${encodeURIComponent(id)}/resolve`, {}),
    listUsers: () => request('GET', 'users'),
    createUser: (user) => request('POST', 'users', user),
    updateUser: (id, changes) => request('PATCH', `users/${encodeURIComponent(id)}`, changes),
    listAppointments: (day) => request('GET', `appointments?day=${encodeURIComponent(day)}`),
    markNoShow: (id) => request('POST', `appointments/${encodeURIComponent(id)}/no-show`, {}),
    reminderSummary: (days) => request('GET', `reminders/summary?days=${encodeURIComponent(days)}`),
    whatsappStatus: () => request('GET', 'whatsapp'),
    whatsappLink: () => request('POST', 'whatsapp/link', {}),
    whatsappPairingCode: (phone) => request('POST', 'whatsapp/pairing-code', { phone }),
    whatsappUnlink: () => request('POST', 'whatsapp/unlink', {}),
  };
}

/** @typedef {ReturnType<typeof createApi>} Api */

/** The body as JSON, or null when it is empty or not JSON (a proxy's HTML error page). */
async function readJson(response) {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
