/** src/staff — what the console API answers: plain JSON, times as ISO strings. */
import type { Locale } from '../core/locale.js';
import type { Escalation, Patient, StaffUser, StoredTranscriptEntry } from '../core/ports/records.js';
import { minutesWaiting, type EscalationView, type QueueEntry } from '../escalation/staff-desk.js';

export interface SessionUserJson {
  id: string;
  email: string;
  displayName: string;
  role: StaffUser['role'];
}

export interface StaffUserJson extends SessionUserJson {
  disabled: boolean;
  createdAt: string;
}

export interface PatientJson {
  id: string;
  displayName: string | null;
  locale: Locale | null;
}

export interface StaffRefJson {
  id: string;
  displayName: string;
}

export interface QueueEntryJson {
  id: string;
  urgency: Escalation['urgency'];
  reason: string;
  status: Escalation['status'];
  channel: Escalation['channel'];
  conversationId: string;
  patient: PatientJson;
  waitingSince: string;
  waitingMinutes: number;
  followUps: number;
  claimedBy: StaffRefJson | null;
  lastMessage: { text: string; at: string } | null;
}

export interface EscalationJson {
  id: string;
  urgency: Escalation['urgency'];
  reason: string;
  status: Escalation['status'];
  channel: Escalation['channel'];
  conversationId: string;
  createdAt: string;
  /** When it was last raised; the same as the queue's waitingSince. */
  waitingSince: string;
  waitingMinutes: number;
  followUps: number;
  claimedBy: StaffRefJson | null;
  claimedAt: string | null;
  resolvedAt: string | null;
}

export interface TranscriptEntryJson {
  author: StoredTranscriptEntry['author'];
  /** For staff replies: the name the patient saw. */
  authorName: string | null;
  text: string;
  at: string;
  locale: Locale | null;
}

export function sessionUserJson(user: StaffUser): SessionUserJson {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

export function staffUserJson(user: StaffUser): StaffUserJson {
  return { ...sessionUserJson(user), disabled: user.disabledAt !== null, createdAt: user.createdAt.toISOString() };
}

/** What the queue and the conversation view both say about an escalation. */
function escalationFacts(escalation: Escalation) {
  const { id, urgency, reason, status, channel, conversationId, followUps } = escalation;
  return { id, urgency, reason, status, channel, conversationId, followUps };
}

export function queueEntryJson(entry: QueueEntry): QueueEntryJson {
  const { escalation } = entry;
  return {
    ...escalationFacts(escalation),
    patient: escalation.patient,
    waitingSince: entry.waitingSince.toISOString(),
    waitingMinutes: entry.waitingMinutes,
    claimedBy:
      escalation.claimedBy && escalation.claimedByName !== null
        ? { id: escalation.claimedBy, displayName: escalation.claimedByName }
        : null,
    lastMessage: escalation.lastPatientMessage
      ? { text: escalation.lastPatientMessage.text, at: escalation.lastPatientMessage.at.toISOString() }
      : null,
  };
}

export function escalationJson(escalation: Escalation, claimedBy: StaffRefJson | null, now: Date): EscalationJson {
  return {
    ...escalationFacts(escalation),
    createdAt: escalation.createdAt.toISOString(),
    waitingSince: escalation.raisedAt.toISOString(),
    waitingMinutes: minutesWaiting(escalation.raisedAt, now),
    claimedBy,
    claimedAt: escalation.claimedAt?.toISOString() ?? null,
    resolvedAt: escalation.resolvedAt?.toISOString() ?? null,
  };
}

/** locale: the patient's chosen language, else the one they last wrote in (as in the queue). */
function patientJson(patient: Patient | null, patientId: string, transcript: StoredTranscriptEntry[]): PatientJson {
  const lastWritten = transcript.findLast((entry) => entry.author === 'patient' && entry.locale !== null)?.locale ?? null;
  return { id: patientId, displayName: patient?.displayName ?? null, locale: patient?.preferredLocale ?? lastWritten };
}

export function escalationViewJson(view: EscalationView, now: Date): {
  escalation: EscalationJson;
  patient: PatientJson;
  transcript: TranscriptEntryJson[];
} {
  return {
    escalation: escalationJson(view.escalation, view.claimedBy, now),
    patient: patientJson(view.patient, view.escalation.patientId, view.transcript),
    transcript: view.transcript.map((entry) => ({
      author: entry.author,
      authorName: entry.authorName ?? null,
      text: entry.text,
      at: entry.at.toISOString(),
      locale: entry.locale,
    })),
  };
}
