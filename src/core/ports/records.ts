import type { ChannelName, ConversationKey, RenderedReply } from '../messages.js';
import type { Locale } from '../locale.js';
import type { ConversationRecord, StoredConversation } from './hot-store.js';
import type { OutgoingMessage } from './live-events.js';
import type { ReminderAnswer, ReminderRepository } from './reminders.js';
import type { TeamsRepository } from './teams.js';

/** The system of record (PostgreSQL or PGlite), seen by the domain through these ports. */

export interface Patient {
  id: string;
  preferredLocale: Locale | null;
  displayName: string | null;
  createdAt: Date;
  /** The patient said "stop reminders" (and not "start reminders" since). */
  remindersOff: boolean;
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

/** `confirmed`: the patient answered a reminder that they are coming; `no_show`: staff marked that they did not. */
export type AppointmentStatus = 'booked' | 'confirmed' | 'cancelled' | 'no_show';

/** Statuses that hold the doctor's time and can still be changed by the patient. */
export const ACTIVE_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['booked', 'confirmed'];

export interface Appointment {
  id: string;
  patientId: string;
  doctorId: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  createdAt: Date;
  /** The conversation it was booked in, when booked through the assistant (reminders go there). */
  bookedFrom: ConversationKey | null;
  /** When it got its current start time (booked or moved). */
  timeSetAt: Date;
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
  /** Booked or confirmed appointments of the patient starting at or after `from`, earliest first. */
  listUpcomingForPatient(patientId: string, from: Date): Promise<Appointment[]>;
  /**
   * Staff say the patient did not come: only a booked or confirmed appointment whose time has
   * come (it started at or before `now`). `too_early`: it has not started yet.
   */
  markNoShow(appointmentId: string, now: Date): Promise<{ outcome: 'marked'; appointment: Appointment } | { outcome: 'not_found' | 'too_early' | 'not_active'; appointment?: Appointment }>;
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
  /** When it was opened, or last raised again (a follow-up or a reopen): "waiting since". */
  raisedAt: Date;
  /** How many times a follow-up raised it again because nobody had claimed it. */
  followUps: number;
}

/** An open or claimed escalation as the staff queue shows it. */
export interface ActiveEscalation extends Escalation {
  /** locale: the patient's chosen language, else the one of their newest message. */
  patient: { id: string; displayName: string | null; locale: Locale | null };
  claimedByName: string | null;
  /** The patient's newest message in the conversation, if any is kept. */
  lastPatientMessage: { text: string; at: Date } | null;
}

/** `conflict`: the escalation exists but is not in a state that allows the change (or not yours). */
export type EscalationChange =
  | { outcome: 'changed'; escalation: Escalation }
  | { outcome: 'not_found' }
  | { outcome: 'conflict'; escalation: Escalation };

/** What `openOrRaise` did: opened a new one, raised the active one's urgency, or left it as it was. */
export type EscalationRaise = { escalation: Escalation; change: 'opened' | 'raised' | 'unchanged' };

export interface EscalationRepository {
  /**
   * The conversation's one active escalation (the database allows no second): opens it, or
   * raises the active one to `urgency` with `reason` when that is more urgent (never lowers it).
   */
  openOrRaise(input: {
    patientId: string;
    channel: ChannelName;
    conversationId: string;
    urgency: Urgency;
    reason: string;
  }): Promise<EscalationRaise>;
  /** Opens one; fails when the conversation has an active escalation already. */
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
  /** Open and claimed escalations with what the queue shows of the patient (unordered). */
  listActive(): Promise<ActiveEscalation[]>;
  /** Claims it for staffId only while it is open: of two claimers one wins, the other gets `conflict`. */
  claim(escalationId: string, staffId: string): Promise<EscalationChange>;
  /**
   * Resolves it when it is claimed by staffId or, with `anyClaim` (an admin), when it is open
   * or claimed by anyone; otherwise `conflict`.
   */
  resolve(escalationId: string, staff: { staffId: string; anyClaim: boolean }): Promise<EscalationChange>;
  /**
   * A follow-up found it still unclaimed: raises urgency to `urgency` (never lowers it),
   * records the reason, restarts "waiting since" and counts the follow-up. Only while open;
   * returns null when it is unknown, claimed or resolved by now.
   */
  reraise(escalationId: string, urgency: Urgency, reason: string): Promise<Escalation | null>;
}

export type MessageDirection = 'in' | 'out';

export interface TranscriptEntry {
  patientId: string;
  channel: ChannelName;
  conversationId: string;
  direction: MessageDirection;
  /** 'patient' | 'bot' | 'staff' */
  author: 'patient' | 'bot' | 'staff';
  /** For staff replies: the name the patient saw. */
  authorName?: string | null;
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

export type StaffRole = 'staff' | 'admin';

export interface StaffUser {
  id: string;
  /** Stored trimmed and in lower case. */
  email: string;
  displayName: string;
  role: StaffRole;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface NewStaffUser {
  email: string;
  displayName: string;
  role: StaffRole;
  /** An argon2 encoded hash, never the password. */
  passwordHash: string;
}

export interface StaffUserChanges {
  displayName?: string;
  role?: StaffRole;
  passwordHash?: string;
  disabled?: boolean;
}

export type StaffUserCreation = { outcome: 'created'; user: StaffUser } | { outcome: 'email_taken' };

/** `last_admin`: refused because no enabled admin would be left. */
export type StaffUserUpdate =
  | { outcome: 'updated'; user: StaffUser }
  | { outcome: 'not_found' }
  | { outcome: 'last_admin' };

export interface StaffSession {
  /** A hash of the token the browser holds; the token itself is never stored. */
  tokenHash: string;
  staffId: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

export interface StaffRepository {
  create(input: NewStaffUser): Promise<StaffUserCreation>;
  findById(staffId: string): Promise<StaffUser | null>;
  /** For signing in: the user (also a disabled one) with the password hash. */
  findCredentials(email: string): Promise<{ user: StaffUser; passwordHash: string } | null>;
  /** Every user, enabled first, then by name. */
  list(): Promise<StaffUser[]>;
  /** Disabling also ends the user's sessions. */
  update(staffId: string, changes: StaffUserChanges): Promise<StaffUserUpdate>;
  createSession(session: { tokenHash: string; staffId: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The session and its user, only while it has not expired at `now` and the user is enabled. */
  findSession(tokenHash: string, now: Date): Promise<{ session: StaffSession; user: StaffUser } | null>;
  touchSession(tokenHash: string, now: Date): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Returns how many were deleted. */
  deleteExpiredSessions(now: Date): Promise<number>;
}

/** A message to deliver outside a patient's own HTTP turn, recorded with what caused it. */
export interface NewOutboxMessage {
  /** Stable per message: writing it twice records it once. */
  deliveryId: string;
  conversation: ConversationKey;
  patientId: string | null;
  message: OutgoingMessage;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxItem extends NewOutboxMessage {
  id: string;
  attempts: number;
  status: OutboxStatus;
  lastError: string | null;
  createdAt: Date;
}

export interface OutboxRepository {
  add(messages: NewOutboxMessage[]): Promise<void>;
  /**
   * Takes up to `limit` pending messages of these channels that are due, oldest first, and hides
   * them from other takers for `leaseMs` (a taker that dies lets them go again). Each taken
   * message has its attempt counted. Times are the database's, whoever wrote the rows.
   */
  takeDue(channels: ChannelName[], limit: number, leaseMs: number): Promise<OutboxItem[]>;
  markSent(id: string): Promise<void>;
  /** Another attempt `retryInMs` from now, or failed for good when it is null. */
  markAttemptFailed(id: string, error: string, retryInMs: number | null): Promise<void>;
  findByDeliveryId(deliveryId: string): Promise<OutboxItem | null>;
  /** Counts by channel and status, for the staff console and metrics. */
  countByStatus(): Promise<{ channel: ChannelName; status: OutboxStatus; count: number }[]>;
}

/** A change to an appointment a turn makes when it commits. */
export type AppointmentWrite =
  | { op: 'book'; appointment: NewAppointment & { id: string } }
  | { op: 'reschedule'; appointmentId: string; patientId: string; doctorId: string; startsAt: Date; endsAt: Date }
  | { op: 'cancel'; appointmentId: string; patientId: string }
  /** The patient confirmed they are coming (answering a reminder). */
  | { op: 'confirm'; appointmentId: string; patientId: string };

/** A turn turning the patient's reminders off ("stop reminders") or back on. */
export interface ReminderPreferenceWrite {
  patientId: string;
  enabled: boolean;
}

/**
 * Opening the conversation's escalation, or raising the active one, when the turn commits. `id`
 * is the active escalation the turn saw (or a new id when it saw none) and `expectedUrgency` the
 * urgency it will have: the commit is refused when either is not so any more.
 */
export interface EscalationWrite {
  id: string;
  patientId: string;
  urgency: Urgency;
  reason: string;
  expectedUrgency: Urgency;
}

/** Everything one turn (a patient message, or a staff event) commits, in one statement. */
export interface TurnCommit {
  conversation: ConversationKey;
  /** The revision the turn started from (null: none); the commit requires it to still be current. */
  expectedRev: number | null;
  record: ConversationRecord;
  /** The message answered (its replies are kept for redeliveries); null for a staff event. */
  answered: { messageId: string; replies: RenderedReply[] } | null;
  transcript: TranscriptEntry[];
  audit: AuditEntry[];
  outbox: NewOutboxMessage[];
  appointments: AppointmentWrite[];
  escalation: EscalationWrite | null;
  /** The patient's reminders turned off or on (none: unchanged). */
  reminders?: ReminderPreferenceWrite | null;
  /** The patient's language from now on, when it changed. */
  preferredLocale: { patientId: string; locale: Locale } | null;
  at: Date;
  /** The database refuses the commit when it would happen after this (the turn was given up). */
  commitBy: Date | null;
}

/** Why a turn's own writes could not be made: what it saw changed meanwhile. */
export type TurnConflict =
  | { reason: 'slot_taken'; doctorId: string; startsAt: Date }
  | { reason: 'appointment_changed' }
  | { reason: 'escalation_changed' };

export type TurnCommitOutcome =
  | {
      outcome: 'committed';
      conversation: StoredConversation;
      escalation: Escalation | null;
      /** Reminders the turn's appointment changes answered (confirmed, changed, cancelled). */
      reminderAnswers: ReminderAnswer[];
    }
  /** A slot, an appointment or the escalation the turn relied on changed: nothing was written. */
  | { outcome: 'conflict'; conflict: TurnConflict }
  /** The message was answered before (its first turn committed): nothing was written. */
  | { outcome: 'answered'; replies: RenderedReply[] }
  /** The conversation moved on since the turn read it: nothing was written; this is the current state. */
  | { outcome: 'stale'; current: StoredConversation | null };

export interface ConversationRepository {
  /** The committed state (the hot store's copy can be behind after a crash or a Redis restart). */
  load(conversation: ConversationKey): Promise<StoredConversation | null>;
  /** The replies a message got, if its turn committed. */
  findAnswer(conversation: ConversationKey, messageId: string): Promise<RenderedReply[] | null>;
  commitTurn(commit: TurnCommit): Promise<TurnCommitOutcome>;
}

export interface Records {
  conversations: ConversationRepository;
  outbox: OutboxRepository;
  patients: PatientRepository;
  appointments: AppointmentRepository;
  escalations: EscalationRepository;
  transcripts: TranscriptRepository;
  audit: AuditRepository;
  staff: StaffRepository;
  /** Microsoft Teams: conversation references, deliveries, staff alerts. */
  teams: TeamsRepository;
  /** Appointment reminders sent, and what the reminders need to know about appointments. */
  reminders: ReminderRepository;
  /** Runs fn with repositories bound to one database transaction. */
  transaction<T>(fn: (records: Records) => Promise<T>): Promise<T>;
  /** Opens a transaction for a caller that decides later whether to commit it. */
  begin(): Promise<OpenRecords>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Records bound to a transaction opened with `begin()`. */
export interface OpenRecords extends Records {
  commit(): Promise<void>;
  /** Undoes everything; never throws. */
  rollback(): Promise<void>;
}
