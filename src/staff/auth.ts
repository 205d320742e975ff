/**
 * src/staff — signing staff in and out, the session cookie, and the hook every console route
 * runs first: `requireStaff(role)`.
 *
 * Cross-site request forgery: the cookie is SameSite=Strict, and every state-changing route
 * also demands `Content-Type: application/json` (see requireJson), which a cross-site HTML
 * form cannot send and a cross-site script cannot send without a CORS preflight we never
 * answer. Both together, so an old browser ignoring one of them is still covered.
 */
// For its typings of request.cookies and reply.setCookie; routes.ts registers the plugin.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { HotStore } from '../core/ports/hot-store.js';
import type { StaffRepository, StaffRole, StaffUser } from '../core/ports/records.js';
import { createDecoyVerifier, verifyPassword } from './passwords.js';
import type { SignedIn, StaffSessions } from './sessions.js';

export const SESSION_COOKIE = 'cab_staff';
/** The cookie goes only to the console and its API, never to the patient pages. */
export const SESSION_COOKIE_PATH = '/staff';

export interface SignInLimit {
  attempts: number;
  windowSeconds: number;
}

export type SignInResult =
  | { outcome: 'signed_in'; user: StaffUser; token: string; expiresAt: Date }
  /** Unknown email, wrong password and disabled user all look the same from outside. */
  | { outcome: 'refused' }
  | { outcome: 'rate_limited'; windowSeconds: number };

export interface ApiError {
  error: string;
  reason: string;
}

export interface StaffAuth {
  signIn(email: string, password: string, clientAddress: string): Promise<SignInResult>;
  /** An onRequest hook: 401 without a valid session, 403 below `role`; before the body is read. */
  requireStaff(role: StaffRole): onRequestHookHandler;
  /** The user the hook let through; throws when the route forgot the hook. */
  signedIn(request: FastifyRequest): SignedIn;
  setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void;
  clearSessionCookie(reply: FastifyReply): void;
}

export interface StaffAuthDeps {
  staff: StaffRepository;
  hotStore: HotStore;
  sessions: StaffSessions;
  /** Secure cookies need HTTPS; off only for development and tests on plain http. */
  secureCookie: boolean;
  signInLimit: SignInLimit;
  now: () => Date;
}

const ROLE_RANK: Record<StaffRole, number> = { staff: 1, admin: 2 };

export function hasRole(user: StaffUser, role: StaffRole): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK[role];
}

export function createStaffAuth(deps: StaffAuthDeps): StaffAuth {
  const signedInRequests = new WeakMap<FastifyRequest, SignedIn>();
  const verifyDecoy = createDecoyVerifier();
  const now = (): number => deps.now().getTime();

  async function signIn(email: string, password: string, clientAddress: string): Promise<SignInResult> {
    const { attempts, windowSeconds } = deps.signInLimit;
    const limitKey = `staff-signin:${email.trim().toLowerCase()}:${clientAddress}`;
    const rate = await deps.hotStore.consumeRateLimit(limitKey, attempts, windowSeconds);
    if (!rate.allowed) return { outcome: 'rate_limited', windowSeconds };

    const credentials = await deps.staff.findCredentials(email);
    if (!credentials) {
      await verifyDecoy(password);
      return { outcome: 'refused' };
    }
    const passwordMatches = await verifyPassword(credentials.passwordHash, password);
    if (!passwordMatches || credentials.user.disabledAt !== null) return { outcome: 'refused' };
    const { token, expiresAt } = await deps.sessions.start(credentials.user.id);
    return { outcome: 'signed_in', user: credentials.user, token, expiresAt };
  }

  function requireStaff(role: StaffRole): onRequestHookHandler {
    return async function requireStaffHook(request, reply) {
      const signedIn = await deps.sessions.resume(request.cookies[SESSION_COOKIE]);
      if (!signedIn) {
        return reply.code(401).send({ error: 'unauthorized', reason: 'sign in first: no valid staff session' } satisfies ApiError);
      }
      if (!hasRole(signedIn.user, role)) {
        return reply.code(403).send({ error: 'forbidden', reason: `this needs the ${role} role` } satisfies ApiError);
      }
      signedInRequests.set(request, signedIn);
      return undefined;
    };
  }

  return {
    signIn,
    requireStaff,
    signedIn(request) {
      const signedIn = signedInRequests.get(request);
      if (!signedIn) throw new Error(`route ${request.url} runs without requireStaff`);
      return signedIn;
    },
    setSessionCookie(reply, token, expiresAt) {
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookie,
        path: SESSION_COOKIE_PATH,
        // Max-Age rather than Expires: a browser whose clock is off still keeps it as long as we do.
        maxAge: Math.max(0, Math.round((expiresAt.getTime() - now()) / 1000)),
      });
    },
    clearSessionCookie(reply) {
      reply.clearCookie(SESSION_COOKIE, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookie,
        path: SESSION_COOKIE_PATH,
      });
    },
  };
}

/**
 * An onRequest hook for state-changing routes: refuses anything but a JSON content type
 * (the CSRF rule in this file's header), even when the request has no body.
 */
export const requireJson: onRequestHookHandler = async function requireJsonHook(request, reply) {
  const contentType = request.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return reply
      .code(415)
      .send({ error: 'unsupported_media_type', reason: 'content-type: must be application/json' } satisfies ApiError);
  }
  return undefined;
};
