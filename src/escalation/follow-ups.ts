/**
 * Follow-ups of an escalation nobody has claimed: when the expected wait has passed and it is
 * still open, it is raised one level, the patient is told in their language with the new
 * expected wait, and the next follow-up is scheduled. Claimed or resolved: nothing happens.
 *
 * Room: escalation domain. It talks to the world through ports only: records, the hot store
 * (the conversation's language), live events, the outbound sender and the scheduler.
 */
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import { conversationKeyString, type RenderedReply } from '../core/messages.js';
import type { FollowUpJob, FollowUpScheduler } from '../core/ports/follow-up-scheduler.js';
import type { HotStore } from '../core/ports/hot-store.js';
import type { LiveEvents, OutboxWaker } from '../core/ports/live-events.js';
import type { Escalation, Records, Urgency } from '../core/ports/records.js';
import { botEntries } from '../core/transcript.js';
import { oneLevelUp } from '../core/urgency.js';
import type { Renderer } from '../i18n/render.js';

export interface FollowUpLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface FollowUpDeps {
  clinic: Clinic;
  records: Records;
  hotStore: Pick<HotStore, 'getConversation'>;
  renderer: Renderer;
  liveEvents: LiveEvents;
  /** The notice is recorded in the outbox with the raise; this delivers it at once. */
  outbox: OutboxWaker;
  scheduler: FollowUpScheduler;
  log: FollowUpLog;
  now: () => Date;
}

export interface FollowUps {
  /** Schedules the follow-up of the escalation's current raise (at the wait of its urgency). */
  scheduleFor(escalation: Escalation): Promise<void>;
  /** Runs a due follow-up; safe to call twice for one job. */
  fire(job: FollowUpJob): Promise<void>;
}

/**
 * The wait as the patient reads it: whole minutes, at least one. The clinic file may give
 * fractions (tests use seconds); the follow-up itself runs at the exact time.
 */
export function displayedWaitMinutes(minutes: number): number {
  return Math.max(1, Math.ceil(minutes));
}

/** Another run raised the escalation between our read and our raise. */
class RaisedMeanwhile extends Error {}

export function createFollowUps(deps: FollowUpDeps): FollowUps {
  const { clinic, records, scheduler, log } = deps;

  function waitMs(urgency: Urgency): number {
    return clinic.escalation.waitMinutes[urgency] * 60_000;
  }

  async function scheduleFor(escalation: Escalation): Promise<void> {
    await scheduler.schedule(
      { escalationId: escalation.id, urgency: escalation.urgency, raisedAt: escalation.raisedAt.toISOString() },
      waitMs(escalation.urgency),
    );
  }

  /** Still open, and not raised since this job was scheduled (by a follow-up or the patient). */
  function isCurrent(escalation: Escalation | null, job: FollowUpJob): escalation is Escalation {
    return (
      escalation !== null &&
      escalation.status === 'open' &&
      escalation.urgency === job.urgency &&
      escalation.raisedAt.getTime() === Date.parse(job.raisedAt)
    );
  }

  async function patientLocale(escalation: Escalation): Promise<Locale> {
    const stored = await deps.hotStore.getConversation(conversationKeyString(escalation));
    if (stored?.locale) return stored.locale;
    const patient = await records.patients.findById(escalation.patientId);
    return patient?.preferredLocale ?? clinic.defaultLocale;
  }

  /**
   * Raise, transcript line and audit row together: a failure leaves the job to retry from
   * scratch. Null when staff claimed it meanwhile, or another run of this follow-up (a job
   * delivered twice) raised it first — then this run's raise is rolled back.
   */
  async function raiseAndRecord(before: Escalation, to: Urgency, replies: RenderedReply[], at: Date): Promise<Escalation | null> {
    return records
      .transaction(async (tx) => {
        const after = await tx.escalations.reraise(before.id, to, before.reason);
        if (!after) return null;
        if (after.followUps !== before.followUps + 1) throw new RaisedMeanwhile();
        await recordNotice(tx, before, after, replies, at);
        return after;
      })
      .catch((error: unknown) => {
        if (error instanceof RaisedMeanwhile) return null;
        throw error;
      });
  }

  async function recordNotice(tx: Records, before: Escalation, after: Escalation, replies: RenderedReply[], at: Date): Promise<void> {
    const { patientId, channel, conversationId } = after;
    await tx.transcripts.append(botEntries({ patientId, channel, conversationId }, replies, at));
    // One notice per raise: the raise's own count makes the delivery id, so a job run twice records it once.
    const deliveryId = `follow-up:${after.id}:${after.followUps}`;
    await tx.outbox.add([
      { deliveryId, conversation: { channel, conversationId }, patientId, message: { deliveryId, author: 'bot', replies } },
    ]);
    await tx.audit.record({
      actorType: 'system',
      actorId: 'follow-up',
      action: 'escalation.follow_up',
      patientId: after.patientId,
      details: { escalationId: after.id, from: before.urgency, to: after.urgency, followUps: after.followUps },
    });
  }

  /** Live updates for the console are best effort; the patient's notice is in the outbox already. */
  async function announce(escalation: Escalation, replies: RenderedReply[], at: Date): Promise<void> {
    deps.outbox.wake(escalation.channel);
    const conversation = { channel: escalation.channel, conversationId: escalation.conversationId };
    const steps: [string, () => Promise<void>][] = [
      ['escalation.changed', () => deps.liveEvents.publish({ type: 'escalation.changed', escalationId: escalation.id })],
      ...replies.map((reply): [string, () => Promise<void>] => [
        'conversation.message',
        () =>
          deps.liveEvents.publish({
            type: 'conversation.message',
            ...conversation,
            entry: { author: 'bot', text: reply.text, locale: reply.locale, at: at.toISOString() },
          }),
      ]),
    ];
    for (const [what, step] of steps) {
      await step().catch((error: unknown) => log.warn({ err: error, escalationId: escalation.id, what }, 'follow-up: live delivery failed'));
    }
  }

  return {
    scheduleFor,

    async fire(job) {
      const before = await records.escalations.findById(job.escalationId);
      if (!isCurrent(before, job)) return;
      const to = oneLevelUp(before.urgency);
      const waitMinutes = displayedWaitMinutes(clinic.escalation.waitMinutes[to]);
      const replies = deps.renderer.render([{ key: 'escalation.follow_up', params: { waitMinutes } }], await patientLocale(before));
      const at = deps.now();
      const after = await raiseAndRecord(before, to, replies, at);
      if (!after) return;
      log.info({ escalationId: after.id, from: before.urgency, to: after.urgency }, 'follow-up: escalation raised again');
      // The job is done once raised: retrying it now would find it stale, so a failure here is logged, not thrown.
      await scheduleFor(after).catch((error: unknown) =>
        log.error({ err: error, escalationId: after.id }, 'follow-up: the next follow-up could not be scheduled'),
      );
      await announce(after, replies, at);
    },
  };
}
