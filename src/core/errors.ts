/** Base class for errors we raise on purpose; `code` is stable and safe to log. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration or catalog that cannot be used; the message names the variable or path. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

/** A slot that another booking took first (the database refused the overlap). */
export class SlotTakenError extends AppError {
  constructor() {
    super('slot_taken', 'That time was just taken by another booking');
  }
}

/** Two turns of one conversation raced and the other saved first. */
export class ConcurrentUpdateError extends AppError {
  // No conversation key in the message: it can hold a phone number.
  constructor() {
    super('concurrent_update', 'The conversation was updated by another turn first');
  }
}

/**
 * A channel could not deliver a message and trying again will not help (the WhatsApp number is
 * logged out, the Teams conversation is gone). Delivery records it as failed instead of retrying.
 */
export class PermanentDeliveryError extends AppError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('delivery_permanent_failure', reason, options);
  }
}

/**
 * A write to state that only the holder of a lease may change (the WhatsApp number's keys)
 * came from a process whose lease was taken over: refused, so two processes never mix keys.
 */
export class LeaseLostError extends AppError {
  constructor(what: string) {
    super('lease_lost', `${what}: this process no longer holds the lease; the write was refused`);
  }
}
