/**
 * Reading PostgreSQL errors the same way for both backends.
 *
 * `pg` rejects with a `DatabaseError` (pg-protocol) and PGlite with its own `DatabaseError`
 * class; both carry the five-character SQLSTATE in `code` and the constraint name in
 * `constraint`. PGlite also attaches the statement's `query` and `params` to the error, so
 * never log a raw database error from PGlite: it may hold patient data.
 */

export const SQLSTATE = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  invalidTextRepresentation: '22P02',
} as const;

function field(error: unknown, name: 'code' | 'constraint'): string | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value: unknown = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The SQLSTATE of a database error, or undefined for anything else. */
export function sqlState(error: unknown): string | undefined {
  const code = field(error, 'code');
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The name of the constraint a database error is about, when the server reported one. */
export function violatedConstraint(error: unknown): string | undefined {
  return field(error, 'constraint');
}
