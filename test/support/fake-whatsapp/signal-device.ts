/**
 * A WhatsApp device's end-to-end encryption, as the other side of the bot: its own identity,
 * pre-keys and sessions in memory, encrypting and decrypting with Baileys' own libsignal.
 * Used for the simulated patients (and the clinic's phone when staff type on it).
 */
import { Curve, encodeWAMessage, generateSignalPubKey, proto, signedKeyPair, unpadRandomMax16, type KeyPair, type SignedKeyPair } from '@whiskeysockets/baileys';
import { ProtocolAddress, SessionBuilder, SessionCipher, SessionRecord, type SignalStorage } from 'libsignal';

/** What a device uploads to the server and hands out to whoever starts a session with it. */
export interface PreKeyBundle {
  registrationId: number;
  /** 32 bytes, without the key-type prefix. */
  identityKey: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array };
  preKey?: { keyId: number; publicKey: Uint8Array };
}

export type CipherType = 'pkmsg' | 'msg';

function toBuffer(value: Uint8Array): Buffer {
  return Buffer.from(value);
}

export class SignalDevice {
  readonly registrationId = 1 + Math.floor(Math.random() * 16_000);
  private readonly identity: KeyPair = Curve.generateKeyPair();
  private readonly signedPreKey: SignedKeyPair = signedKeyPair(this.identity, 1);
  private readonly preKeys = new Map<number, KeyPair>();
  private readonly sessions = new Map<string, Uint8Array>();
  private nextPreKeyId = 1;

  constructor() {
    for (let i = 0; i < 5; i += 1) this.preKeys.set(this.nextPreKeyId++, Curve.generateKeyPair());
  }

  get identityPublic(): Buffer {
    return toBuffer(this.identity.public);
  }

  /** A bundle with one of our one-time pre-keys (it is used up when a session starts with it). */
  bundle(): PreKeyBundle {
    const [first] = this.preKeys.entries();
    return {
      registrationId: this.registrationId,
      identityKey: this.identity.public,
      signedPreKey: { keyId: this.signedPreKey.keyId, publicKey: this.signedPreKey.keyPair.public, signature: this.signedPreKey.signature },
      ...(first ? { preKey: { keyId: first[0], publicKey: first[1].public } } : {}),
    };
  }

  hasSession(peer: string): boolean {
    return this.sessions.has(peer);
  }

  /** Starts a session with a peer from its published bundle (what WhatsApp's server hands out). */
  async startSession(peer: string, bundle: PreKeyBundle): Promise<void> {
    if (!bundle.preKey) throw new Error('fake WhatsApp: the peer has no one-time pre-key left');
    const builder = new SessionBuilder(this.storage(), this.address(peer));
    await builder.initOutgoing({
      registrationId: bundle.registrationId,
      identityKey: generateSignalPubKey(bundle.identityKey),
      signedPreKey: {
        keyId: bundle.signedPreKey.keyId,
        publicKey: generateSignalPubKey(bundle.signedPreKey.publicKey),
        signature: bundle.signedPreKey.signature,
      },
      preKey: { keyId: bundle.preKey.keyId, publicKey: generateSignalPubKey(bundle.preKey.publicKey) },
    });
  }

  /** A WhatsApp message (padded, as clients do) encrypted for the peer. */
  async encrypt(peer: string, message: proto.IMessage): Promise<{ type: CipherType; ciphertext: Buffer }> {
    const cipher = new SessionCipher(this.storage(), this.address(peer));
    const { type, body } = await cipher.encrypt(encodeWAMessage(message));
    return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') };
  }

  async decrypt(peer: string, type: CipherType, ciphertext: Uint8Array): Promise<proto.Message> {
    const cipher = new SessionCipher(this.storage(), this.address(peer));
    const plain = type === 'pkmsg' ? await cipher.decryptPreKeyWhisperMessage(ciphertext) : await cipher.decryptWhisperMessage(ciphertext);
    return proto.Message.decode(unpadRandomMax16(plain));
  }

  private address(peer: string): ProtocolAddress {
    return new ProtocolAddress(peer, 0);
  }

  private storage(): SignalStorage {
    return {
      loadSession: async (id) => {
        const stored = this.sessions.get(id);
        return stored ? SessionRecord.deserialize(stored) : undefined;
      },
      storeSession: async (id, session) => {
        this.sessions.set(id, session.serialize());
      },
      // Trust on first use, as WhatsApp Web does.
      isTrustedIdentity: () => true,
      loadPreKey: async (id) => {
        const key = this.preKeys.get(Number(id));
        return key ? { privKey: toBuffer(key.private), pubKey: toBuffer(generateSignalPubKey(key.public)) } : undefined;
      },
      removePreKey: (id) => {
        this.preKeys.delete(Number(id));
      },
      loadSignedPreKey: () => ({
        privKey: toBuffer(this.signedPreKey.keyPair.private),
        pubKey: toBuffer(generateSignalPubKey(this.signedPreKey.keyPair.public)),
      }),
      getOurRegistrationId: () => this.registrationId,
      getOurIdentity: () => ({ privKey: toBuffer(this.identity.private), pubKey: toBuffer(generateSignalPubKey(this.identity.public)) }),
    };
  }
}
