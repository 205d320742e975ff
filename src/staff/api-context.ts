/** src/staff — what every group of console API routes is handed, and their shared helpers. */
import type { FastifyReply, onRequestHookHandler } from 'fastify';
import type { z } from 'zod';
import type { Records, StaffRole } from '../core/ports/records.js';
import type { StaffDesk } from '../escalation/staff-desk.js';
import { describeIssue } from './api-schemas.js';
import { requireJson, type ApiError, type StaffAuth } from './auth.js';
import type { StaffEventStreams } from './event-stream.js';
import type { StaffSessions } from './sessions.js';

export interface StaffApiContext {
  records: Records;
  desk: StaffDesk;
  auth: StaffAuth;
  sessions: StaffSessions;
  streams: StaffEventStreams;
  now: () => Date;
}

/** Route options: who may call it, and whether it changes state (then JSON only, see auth.ts). */
export function guard(auth: StaffAuth, role: StaffRole, changesState: boolean): { onRequest: onRequestHookHandler[] } {
  return { onRequest: changesState ? [auth.requireStaff(role), requireJson] : [auth.requireStaff(role)] };
}

export function sendError(reply: FastifyReply, status: number, error: string, reason: string): FastifyReply {
  return reply.code(status).send({ error, reason } satisfies ApiError);
}

/** The parsed body, or null after answering 400 with the field and the rule it broke. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, reply: FastifyReply): z.output<S> | null {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  void sendError(reply, 400, 'invalid_request', describeIssue(parsed.error));
  return null;
}
