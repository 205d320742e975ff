/** src/staff — the bodies the console API accepts; every message names the rule broken. */
import { z } from 'zod';
import { MAX_STAFF_REPLY_LENGTH } from '../escalation/staff-desk.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.js';

const required = (kind: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${kind}`;

const email = z
  .string({ error: required('a string') })
  .trim()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'must be an email address like name@clinic.example' }));

const newPassword = z
  .string({ error: required('a string') })
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` })
  .refine((value) => value.trim().length > 0, { error: 'must not be only spaces' });

const displayName = z
  .string({ error: required('a string') })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' });

const role = z.enum(['staff', 'admin'], { error: 'must be "staff" or "admin"' });

export const signInSchema = z.object({
  email: z.string({ error: required('a string') }).max(254, { error: 'must be at most 254 characters' }),
  password: z
    .string({ error: required('a string') })
    .min(1, { error: 'must not be empty' })
    .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` }),
});

export const replySchema = z.object({
  text: z
    .string({ error: required('a string') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_STAFF_REPLY_LENGTH, { error: `must be at most ${MAX_STAFF_REPLY_LENGTH} characters` }),
});

export const newUserSchema = z.object({
  email,
  displayName,
  role,
  password: newPassword,
});

export const userChangesSchema = z
  .strictObject(
    {
      displayName: displayName.optional(),
      role: role.optional(),
      password: newPassword.optional(),
      disabled: z.boolean({ error: 'must be true or false' }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field (allowed: displayName, role, password, disabled)` : undefined) },
  )
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    error: 'name at least one of displayName, role, password, disabled',
  });

/** The first problem zod found, as "field: why" ("body: …" for the body as a whole). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'body: invalid';
  if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: ${issue.message}`;
  if (issue.path.length === 0) {
    return issue.code === 'invalid_type' ? 'body: must be a JSON object' : `body: ${issue.message}`;
  }
  return `${issue.path.map(String).join('.')}: ${issue.message}`;
}

/** "+351 912 345 678", "00351912345678", "351912345678" → digits with the country code. */
export const pairingPhoneSchema = z.object({
  phone: z
    .string({ error: required('a string') })
    .transform((value) => value.replace(/[\s().-]/g, '').replace(/^(\+|00)/, ''))
    .pipe(z.string().regex(/^[1-9]\d{6,14}$/, { error: 'must be the clinic\'s number in international form, e.g. +351 912 345 678' })),
});
