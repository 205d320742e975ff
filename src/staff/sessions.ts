/**
 * src/staff — console sign-in sessions. The browser holds a random 32-byte token; the
 * database holds only its SHA-256, so a leaked table cannot be replayed as cookies.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StaffRepository, StaffUser } from '../core/ports/records.js';

/** 32 random bytes in base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Writing "last seen" on every request of a busy console would be a write per click. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SignedIn {
  user: StaffUser;
  tokenHash: string;
}

export interface StaffSessions {
  readonly lifetimeMs: number;
  start(staffId: string): Promise<{ token: string; expiresAt: Date }>;
  /** The signed-in user behind a token: null when unknown, expired, or the user is disabled. */
  resume(token: string | undefined): Promise<SignedIn | null>;
  /** Still valid? (For long-lived event streams.) */
  isActive(tokenHash: string): Promise<boolean>;
  end(tokenHash: string): Promise<void>;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createStaffSessions(deps: { staff: StaffRepository; lifetimeHours: number; now: () => Date }): StaffSessions {
  const lifetimeMs = deps.lifetimeHours * 3_600_000;
  return {
    lifetimeMs,

    async start(staffId) {
      const now = deps.now();
      // Sign-ins are rare: a good moment to drop sessions nobody can use any more.
      await deps.staff.deleteExpiredSessions(now);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + lifetimeMs);
      await deps.staff.createSession({ tokenHash: hashSessionToken(token), staffId, createdAt: now, expiresAt });
      return { token, expiresAt };
    },

    async resume(token) {
      if (token === undefined || !TOKEN_PATTERN.test(token)) return null;
      const tokenHash = hashSessionToken(token);
      const now = deps.now();
      const found = await deps.staff.findSession(tokenHash, now);
      if (!found) return null;
      if (now.getTime() - found.session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
        await deps.staff.touchSession(tokenHash, now);
      }
      return { user: found.user, tokenHash };
    },

    async isActive(tokenHash) {
      return (await deps.staff.findSession(tokenHash, deps.now())) !== null;
    },

    end: (tokenHash) => deps.staff.deleteSession(tokenHash),
  };
}
