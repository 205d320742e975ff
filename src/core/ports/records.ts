import type { ChannelName } from '../messages.js';
import type { Locale } from '../locale.js';

/** The system of record (PostgreSQL or PGlite), seen by the domain through these ports. */

export interface Patient {
  id: string;
  preferredLocale: Locale | null;
  displayName: string | null;
  createdAt: Date;
}

export interface PatientIdentity {
  channel: ChannelName;
  externalId: string;
}

export interface PatientRepository {
  /** Returns the patient behind this channel identity, creating both on first contact. */
  findOrCreateByIdentity(identity: PatientIdentity, init: { displayName?: string | null }): Promise<Patient>;
  findById(patientId: string): Promise<Patient | null>;
  findByIdentity(identity: PatientIdentity): Promise<Patient | null>;
  setPreferredLocale(patientId: string, locale: Locale): Promise<void>;
  /**
   * Points one more channel identity at an existing patient (a WhatsApp LID next to the
   * phone JID). True when the identity now belongs to this patient (newly or already);
   * false when it belongs to another patient, or the patient is unknown or erased.
   */
  linkIdentity(patientId: string, identity: PatientIdentity): Promise<boolean>;
}

export type AppointmentStatus = 'booked' | 'cancelled';

export interface Appointment {
  id: string;
  patientId: string;
  doctorId: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  createdAt: Date;
}

export interface NewAppointment {
  patientId: string;
  doctorId: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
}

export interface BusyInterval {
  doctorId: string;
  startsAt: Date;
  endsAt: Date;
}

export interface AppointmentRepository {
  /** Booked intervals of these doctors overlapping [from, to). */
  listBusy(doctorIds: string[], from: Date, to: Date): Promise<BusyInterval[]>;
  /** Throws SlotTakenError when the doctor already has an overlapping booking. */
  create(input: NewAppointment): Promise<Appointment>;
  /** Moves the patient's own booked appointment; SlotTakenError on overlap; null if not theirs/not booked. */
  reschedule(appointmentId: string, patientId: string, startsAt: Date, endsAt: Date): Promise<Appointment | null>;
  /** Cancels the patient's own booked appointment; null if not theirs/not booked. */
  cancel(appointmentId: string, patientId: string): Promise<Appointment | null>;
  findById(appointmentId: string): Promise<Appointment | null>;
  /** Booked appointments of the patient starting at or after `from`, earliest first. */
  listUpcomingForPatient(patientId: string, from: Date): Promise<Appointment[]>;
}

export type Urgency = 'urgent' | 'high' | 'medium' | 'low';
export type EscalationStatus = 'open' | 'claimed' | 'resolved';

export interface Escalation {
  id: string;
  patientId: string;
  channel: ChannelName;
  conversationId: string;
  urgency: Urgency;
  reason: string;
  status: EscalationStatus;
  createdAt: Date;
  /** The staff user who claimed it, while claimed (and after resolving). */
  claimedBy: string | null;
  claimedAt: Date | null;
  resolvedAt: Date | null;
}

export interface EscalationRepository {
  create(input: {
    patientId: string;
    channel: ChannelName;
    conversationId: string;
    urgency: Urgency;
    reason: string;
  }): Promise<Escalation>;
  findOpenForConversation(channel: ChannelName, conversationId: string): Promise<Escalation | null>;
  findById(escalationId: string): Promise<Escalation | null>;
  setStatus(escalationId: string, status: EscalationStatus): Promise<void>;
  raiseUrgency(escalationId: string, urgency: Urgency, reason: string): Promise<void>;
}

export type MessageDirection = 'in' | 'out';

export interface TranscriptEntry {
  patientId: string;
  channel: ChannelName;
  conversationId: string;
  direction: MessageDirection;
  /** 'patient' | 'bot' | 'staff' */
  author: 'patient' | 'bot' | 'staff';
  text: string;
  locale: Locale | null;
  messageId: string | null;
  at: Date;
}

export interface StoredTranscriptEntry extends TranscriptEntry {
  id: string;
}

export interface TranscriptRepository {
  append(entries: TranscriptEntry[]): Promise<void>;
  listForConversation(channel: ChannelName, conversationId: string): Promise<StoredTranscriptEntry[]>;
}

export interface AuditEntry {
  actorType: 'bot' | 'staff' | 'system';
  actorId: string;
  action: string;
  patientId: string | null;
  details: Record<string, unknown>;
}

export interface AuditRepository {
  record(entry: AuditEntry): Promise<void>;
  listForPatient(patientId: string): Promise<(AuditEntry & { id: string; at: Date })[]>;
}

export interface Records {
  patients: PatientRepository;
  appointments: AppointmentRepository;
  escalations: EscalationRepository;
  transcripts: TranscriptRepository;
  audit: AuditRepository;
  /** Runs fn with repositories bound to one database transaction. */
  transaction<T>(fn: (records: Records) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
