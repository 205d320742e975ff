/**
 * The linked WhatsApp number as the staff console sees and steers it, from any process: the
 * process holding the number's lease publishes the status and carries out the commands.
 */

/**
 * - `not_linked`: no number linked; an admin starts linking from the console or the terminal
 * - `linking`: a link was asked for; waiting for WhatsApp to hand out a QR code or pairing code
 * - `waiting_for_scan`: a QR code (or pairing code) is shown; waiting for the phone
 * - `connecting`, `connected`, `reconnecting` (after a drop, with `retryAt`)
 * - `replaced`: another device or program took over the same credentials (440); long pause
 * - `logged_out`: the phone unlinked this device or WhatsApp banned the number; needs linking
 * - `no_owner`: no process holds the number right now (starting, or a process just died)
 */
export type WhatsAppLinkState =
  | 'not_linked'
  | 'linking'
  | 'waiting_for_scan'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'replaced'
  | 'logged_out'
  | 'no_owner';

export interface WhatsAppStatus {
  state: WhatsAppLinkState;
  /** The linked number in international form ("+351912345678"), when known. */
  phone: string | null;
  /** The QR code's text, while waiting for a scan; it changes every 20–60 s. */
  qr: string | null;
  /** The code to type on the phone, after a pairing code was asked for. */
  pairingCode: string | null;
  /** ISO time of the next connection attempt, while reconnecting or paused. */
  retryAt: string | null;
  /** The last disconnect's DisconnectReason code and when it happened. */
  lastDisconnect: { code: number; at: string } | null;
  /** Which process holds the number (host and pid). */
  owner: string | null;
  /** ISO time the state was entered. */
  since: string;
  /** ISO time this status was published (the owner republishes it regularly). */
  updatedAt: string;
}

export type WhatsAppCommand =
  | { type: 'link' }
  | { type: 'pairing_code'; phone: string }
  | { type: 'unlink'; staffId: string }
  /** A process without a fresh status asks the owner to publish it again. */
  | { type: 'status_request' };

/** What the console's WhatsApp tab uses; null when WhatsApp is not enabled. */
export interface WhatsAppLink {
  status(): WhatsAppStatus;
  onStatus(listener: (status: WhatsAppStatus) => void): () => void;
  command(command: WhatsAppCommand): Promise<void>;
}
