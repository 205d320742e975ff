/** The WhatsApp channel's settings from the validated environment (src/config/env.ts). */
import type { Env } from '../../config/env.js';
import type { WhatsAppSettings } from './channel.js';

export function whatsappSettings(env: Env): WhatsAppSettings {
  return {
    account: env.WHATSAPP_ACCOUNT,
    connection: {
      ...(env.WHATSAPP_WS_URL ? { wsUrl: env.WHATSAPP_WS_URL } : {}),
      connectTimeoutMs: env.WHATSAPP_CONNECT_TIMEOUT_MS,
      ...(env.WHATSAPP_QR_ROTATE_MS ? { qrRotateMs: env.WHATSAPP_QR_ROTATE_MS } : {}),
      backOff: {
        baseMs: env.WHATSAPP_RECONNECT_BASE_MS,
        maxMs: env.WHATSAPP_RECONNECT_MAX_MS,
        replacedPauseMs: env.WHATSAPP_REPLACED_PAUSE_MS,
      },
    },
    ...(env.WHATSAPP_NOISE_ROOT_KEY ? { noiseRootKey: env.WHATSAPP_NOISE_ROOT_KEY } : {}),
    leaseMs: env.WHATSAPP_LEASE_MS,
    chatGapMs: env.WHATSAPP_CHAT_GAP_MS,
    sendGapMs: env.WHATSAPP_SEND_GAP_MS,
    maxBacklogMs: env.WHATSAPP_MAX_BACKLOG_HOURS * 3_600_000,
    baileysLogLevel: env.WHATSAPP_LOG_LEVEL,
    redactLogs: env.LOG_REDACT,
  };
}
