/**
 * Exclusive, expiring ownership of something only one process may do at a time (the WhatsApp
 * number's socket). Each grant carries a fencing token that grows with every new holder, so
 * the storage can refuse the writes of a holder that lost its lease without noticing.
 * Redis when configured (shared by every process), in-process otherwise.
 */
export interface LeaseGrant {
  /** Larger than every fence granted for this name before. */
  fence: number;
}

export interface Leases {
  /** Takes the lease when nobody holds it (or `holder` already does); null while another holder has it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | null>;
  /** Extends the lease; false when `holder` no longer holds it with this fence. */
  renew(name: string, holder: string, fence: number, ttlMs: number): Promise<boolean>;
  /** Gives it up at once, if still held with this fence, so another process can take over without waiting. */
  release(name: string, holder: string, fence: number): Promise<void>;
  /** Who holds it now, or null. */
  holder(name: string): Promise<string | null>;
}
