/** The WhatsApp channel's figures on the app's Prometheus registry (GET /metrics). */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WhatsAppLinkState } from '../../core/ports/whatsapp-link.js';
import type { IgnoreReason } from './incoming.js';

const STATES: WhatsAppLinkState[] = ['not_linked', 'linking', 'waiting_for_scan', 'connecting', 'connected', 'reconnecting', 'replaced', 'logged_out', 'no_owner'];

export interface WhatsAppMetrics {
  disconnect(code: number): void;
  received(kind: 'patient' | 'staff' | 'own_echo'): void;
  ignored(reason: IgnoreReason): void;
  sent(): void;
}

export function createWhatsAppMetrics(registry: Registry, current: () => { state: WhatsAppLinkState; holdsLease: boolean }): WhatsAppMetrics {
  const registers = [registry];
  new Gauge({
    name: 'clinic_whatsapp_state',
    help: 'The linked WhatsApp number as this process sees it: 1 for the current state, 0 for the others.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const { state } = current();
      for (const name of STATES) this.set({ state: name }, name === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'clinic_whatsapp_lease_held',
    help: '1 when this process holds the WhatsApp number (its socket), else 0.',
    registers,
    collect() {
      this.set(current().holdsLease ? 1 : 0);
    },
  });
  const disconnects = new Counter({
    name: 'clinic_whatsapp_disconnects_total',
    help: 'WhatsApp socket closes by DisconnectReason code (515 restart, 428 closed, 408 lost, 440 replaced, 401 logged out …).',
    labelNames: ['code'] as const,
    registers,
  });
  const received = new Counter({
    name: 'clinic_whatsapp_messages_received_total',
    help: 'WhatsApp messages handled: from patients, typed by staff on the clinic phone, or our own sends echoed back.',
    labelNames: ['kind'] as const,
    registers,
  });
  const ignored = new Counter({
    name: 'clinic_whatsapp_messages_ignored_total',
    help: 'WhatsApp messages left alone: groups, status, reactions, protocol messages, too old, undecryptable …',
    labelNames: ['reason'] as const,
    registers,
  });
  const sent = new Counter({ name: 'clinic_whatsapp_messages_sent_total', help: 'WhatsApp messages sent to patients.', registers });
  return {
    disconnect: (code) => disconnects.inc({ code: String(code) }),
    received: (kind) => received.inc({ kind }),
    ignored: (reason) => ignored.inc({ reason }),
    sent: () => sent.inc(),
  };
}
