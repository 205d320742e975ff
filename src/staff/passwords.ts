/**
 * src/staff — staff passwords: argon2id hashes (the `argon2` package's encoded form, which
 * carries its own salt and parameters), and the rules a new password must meet.
 */
import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 12;
/** argon2 hashes anything, but a megabyte "password" is a denial of service, not a secret. */
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** False for a wrong password and for a hash that is not an argon2 hash at all. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(passwordHash, password);
  } catch (error) {
    // argon2 throws a TypeError for a string that is not an encoded hash.
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/**
 * Returns a check that spends the time of a real verification on an unknown email, so a
 * sign-in's answer time does not tell whether the email belongs to a staff user.
 */
export function createDecoyVerifier(): (password: string) => Promise<void> {
  let decoyHash: Promise<string> | undefined;
  return async (password) => {
    decoyHash ??= hashPassword('decoy password that no account has');
    await verifyPassword(await decoyHash, password);
  };
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim().length === 0) return 'must not be only spaces';
  return null;
}
