/**
 * The clinic's own phone, the WhatsApp account's primary device: it links the bot as a
 * companion device, by scanning the QR code or by the pairing code typed in. What the phone
 * computes mirrors what Baileys verifies in configureSuccessfulPairing and in the
 * link_code_companion_reg notification handler.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  aesDecryptCTR,
  aesDecryptGCM,
  aesEncryptCTR,
  Curve,
  derivePairingCodeKey,
  hkdf,
  proto,
  WA_ADV_ACCOUNT_SIG_PREFIX,
  type KeyPair,
} from '@whiskeysockets/baileys';

export interface CompanionToLink {
  /** The companion's signal identity public key (32 bytes). */
  identityKey: Buffer;
  /** Secret shared with the phone: from the QR code, or derived in the pairing-code exchange. */
  advSecret: Buffer;
}

/** What the QR code says: `https://wa.me/settings/linked_devices#ref,noiseKey,identityKey,advSecret,platform`. */
export function parseQr(qr: string): { ref: string; noiseKey: Buffer; identityKey: Buffer; advSecret: Buffer } {
  const [ref, noiseKey, identityKey, advSecret] = (qr.split('#')[1] ?? qr).split(',');
  if (!ref || !noiseKey || !identityKey || !advSecret) throw new Error(`fake WhatsApp: not a pairing QR code: ${qr.slice(0, 40)}`);
  return {
    ref,
    noiseKey: Buffer.from(noiseKey, 'base64'),
    identityKey: Buffer.from(identityKey, 'base64'),
    advSecret: Buffer.from(advSecret, 'base64'),
  };
}

export class ClinicPhone {
  /** The account's signature key: it signs every linked device's identity. */
  readonly accountKey: KeyPair = Curve.generateKeyPair();
  readonly identity: KeyPair = Curve.generateKeyPair();

  constructor(
    /** Phone number without "+" (the account's user id). */
    readonly number: string,
    /** The account's LID user id. */
    readonly lidUser: string,
  ) {}

  /**
   * The `device-identity` content of a pair-success: an ADVSignedDeviceIdentity for the
   * companion, signed by the account and authenticated with the shared secret.
   */
  signDeviceIdentity(companion: CompanionToLink, keyIndex: number): Uint8Array {
    const details = proto.ADVDeviceIdentity.encode({ rawId: Math.floor(Math.random() * 2 ** 31), timestamp: Math.floor(Date.now() / 1000), keyIndex }).finish();
    const accountSignature = Curve.sign(this.accountKey.private, Buffer.concat([WA_ADV_ACCOUNT_SIG_PREFIX, details, companion.identityKey]));
    const signed = proto.ADVSignedDeviceIdentity.encode({ details, accountSignatureKey: this.accountKey.public, accountSignature }).finish();
    const hmac = createHmac('sha256', companion.advSecret).update(signed).digest();
    return proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac }).finish();
  }
}

/**
 * The phone's half of linking with a pairing code: the companion sent its ephemeral key
 * wrapped under the code; the person types the code on the phone, the phone unwraps it and
 * answers with its own wrapped ephemeral key and identity.
 */
export class PairingCodeExchange {
  private readonly ephemeral: KeyPair = Curve.generateKeyPair();
  private companionEphemeral: Buffer | null = null;

  constructor(
    private readonly phone: ClinicPhone,
    private readonly code: string,
  ) {}

  /** The companion's `link_code_pairing_wrapped_companion_ephemeral_pub`: salt(32) iv(16) ciphertext(32). */
  async unwrapCompanion(wrapped: Uint8Array): Promise<void> {
    const data = Buffer.from(wrapped);
    const key = await derivePairingCodeKey(this.code, data.subarray(0, 32));
    this.companionEphemeral = aesDecryptCTR(data.subarray(48, 80), key, data.subarray(32, 48));
  }

  /** Our ephemeral key wrapped the same way, for the notification to the companion. */
  async wrapPrimary(): Promise<Buffer> {
    const salt = randomBytes(32);
    const iv = randomBytes(16);
    const key = await derivePairingCodeKey(this.code, salt);
    return Buffer.concat([salt, iv, aesEncryptCTR(this.ephemeral.public, key, iv)]);
  }

  /**
   * The companion's `link_code_pairing_wrapped_key_bundle` (salt(32) iv(12) AES-GCM of
   * [companion identity, primary identity, random]) → what the pair-success needs.
   */
  finish(wrappedBundle: Uint8Array, companionIdentity: Uint8Array): CompanionToLink {
    if (!this.companionEphemeral) throw new Error('fake WhatsApp: the pairing code was not entered yet');
    const data = Buffer.from(wrappedBundle);
    const companionShared = Curve.sharedKey(this.ephemeral.private, this.companionEphemeral);
    const bundleKey = Buffer.from(hkdf(companionShared, 32, { salt: data.subarray(0, 32), info: 'link_code_pairing_key_bundle_encryption_key' }));
    const bundle = aesDecryptGCM(data.subarray(44), bundleKey, data.subarray(32, 44), Buffer.alloc(0));
    const identityKey = bundle.subarray(0, 32);
    if (!identityKey.equals(Buffer.from(companionIdentity))) throw new Error('fake WhatsApp: the key bundle names another identity');
    const random = bundle.subarray(64, 96);
    const identityShared = Curve.sharedKey(this.phone.identity.private, identityKey);
    const advSecret = Buffer.from(hkdf(Buffer.concat([companionShared, identityShared, random]), 32, { info: 'adv_secret' }));
    return { identityKey, advSecret };
  }
}
