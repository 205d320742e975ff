/**
 * WhatsApp's side of the Noise XX handshake and transport framing, mirroring what
 * Baileys' lib/Utils/noise-handler.js expects of the server, built on Baileys' own exported
 * crypto helpers. The certificate chain is signed by a test root key, which the app trusts
 * through WHATSAPP_NOISE_ROOT_KEY (refused in production).
 */
import { createHash } from 'node:crypto';
import { aesDecryptGCM, aesEncryptGCM, Curve, hkdf, NOISE_MODE, NOISE_WA_HEADER, proto, type KeyPair } from '@whiskeysockets/baileys';

const EMPTY = Buffer.alloc(0);

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function iv(counter: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt32BE(counter, 8);
  return out;
}

/** A root key for one test run and the certificate chain it signs for a server key. */
export interface TestCertificates {
  rootPublicKeyHex: string;
  chainFor(serverStatic: KeyPair): Uint8Array;
}

export function createTestCertificates(): TestCertificates {
  const root = Curve.generateKeyPair();
  const intermediate = Curve.generateKeyPair();
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: 1,
    // WA_CERT_DETAILS.SERIAL: the client only accepts intermediates issued by serial 0.
    issuerSerial: 0,
    key: intermediate.public,
  }).finish();
  const intermediateSignature = Curve.sign(root.private, intermediateDetails);
  return {
    rootPublicKeyHex: Buffer.from(root.public).toString('hex'),
    chainFor(serverStatic) {
      const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({ serial: 2, issuerSerial: 1, key: serverStatic.public }).finish();
      return proto.CertChain.encode({
        intermediate: { details: intermediateDetails, signature: intermediateSignature },
        leaf: { details: leafDetails, signature: Curve.sign(intermediate.private, leafDetails) },
      }).finish();
    },
  };
}

/** The symmetric state of the handshake, as the server sees it. */
class HandshakeState {
  private hash: Buffer;
  private salt: Buffer;
  private key: Buffer;
  private counter = 0;

  constructor() {
    const mode = Buffer.from(NOISE_MODE);
    this.hash = mode.length === 32 ? mode : sha256(mode);
    this.salt = this.hash;
    this.key = this.hash;
  }

  authenticate(data: Uint8Array): void {
    this.hash = sha256(Buffer.concat([this.hash, data]));
  }

  encrypt(plaintext: Uint8Array): Buffer {
    const ciphertext = aesEncryptGCM(plaintext, this.key, iv(this.counter++), this.hash);
    this.authenticate(ciphertext);
    return ciphertext;
  }

  decrypt(ciphertext: Uint8Array): Buffer {
    const plaintext = aesDecryptGCM(ciphertext, this.key, iv(this.counter++), this.hash);
    this.authenticate(ciphertext);
    return plaintext;
  }

  mix(secret: Uint8Array): void {
    const [write, read] = this.expand(secret);
    this.salt = write;
    this.key = read;
    this.counter = 0;
  }

  /** Transport keys: the client encrypts with the first half, so the server decrypts with it. */
  split(): { encrypt: Buffer; decrypt: Buffer } {
    const [clientWrite, clientRead] = this.expand(EMPTY);
    return { encrypt: clientRead, decrypt: clientWrite };
  }

  private expand(secret: Uint8Array): [Buffer, Buffer] {
    const key = Buffer.from(hkdf(Buffer.from(secret), 64, { salt: this.salt, info: '' }));
    return [key.subarray(0, 32), key.subarray(32)];
  }
}

class TransportCipher {
  private writeCounter = 0;
  private readCounter = 0;

  constructor(private readonly keys: { encrypt: Buffer; decrypt: Buffer }) {}

  encrypt(plaintext: Uint8Array): Buffer {
    return aesEncryptGCM(plaintext, this.keys.encrypt, iv(this.writeCounter++), EMPTY);
  }

  decrypt(ciphertext: Uint8Array): Buffer {
    return aesDecryptGCM(ciphertext, this.keys.decrypt, iv(this.readCounter++), EMPTY);
  }
}

export interface HandshakeResult {
  /** The client's long-term noise key: which device this is. */
  clientStatic: Buffer;
  payload: proto.ClientPayload;
}

/**
 * One connection's framing and encryption. Feed it every WebSocket message; it answers the
 * handshake by itself and hands decrypted frames to `onFrame` afterwards.
 */
export class NoiseServerConnection {
  private buffered = Buffer.alloc(0);
  private introSeen = false;
  private readonly state = new HandshakeState();
  private ephemeral: KeyPair | null = null;
  private transport: TransportCipher | null = null;

  constructor(
    private readonly serverStatic: KeyPair,
    private readonly certificates: TestCertificates,
    private readonly send: (bytes: Buffer) => void,
    private readonly onHandshake: (result: HandshakeResult) => void,
    private readonly onFrame: (plaintext: Buffer) => void,
  ) {}

  get established(): boolean {
    return this.transport !== null;
  }

  receive(data: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, data]);
    if (!this.introSeen) {
      if (this.buffered.length < NOISE_WA_HEADER.length) return;
      if (!this.buffered.subarray(0, NOISE_WA_HEADER.length).equals(NOISE_WA_HEADER)) throw new Error('fake WhatsApp: unexpected intro header');
      this.buffered = this.buffered.subarray(NOISE_WA_HEADER.length);
      this.introSeen = true;
    }
    while (this.buffered.length >= 3) {
      const size = this.buffered.readUIntBE(0, 3);
      if (this.buffered.length < size + 3) return;
      const frame = this.buffered.subarray(3, size + 3);
      this.buffered = this.buffered.subarray(size + 3);
      this.handle(frame);
    }
  }

  /** Encrypts and frames one message for the client (transport phase only). */
  sendFrame(plaintext: Uint8Array): void {
    if (!this.transport) throw new Error('fake WhatsApp: no transport yet');
    this.writeFrame(this.transport.encrypt(plaintext));
  }

  private writeFrame(data: Uint8Array): void {
    const frame = Buffer.alloc(3 + data.length);
    frame.writeUIntBE(data.length, 0, 3);
    frame.set(data, 3);
    this.send(frame);
  }

  private handle(frame: Buffer): void {
    if (this.transport) {
      this.onFrame(this.transport.decrypt(frame));
      return;
    }
    const message = proto.HandshakeMessage.decode(frame);
    if (message.clientHello?.ephemeral) this.answerHello(Buffer.from(message.clientHello.ephemeral));
    else if (message.clientFinish?.static && message.clientFinish.payload) this.finish(message.clientFinish);
    else throw new Error('fake WhatsApp: unexpected handshake message');
  }

  private answerHello(clientEphemeral: Buffer): void {
    const state = this.state;
    state.authenticate(NOISE_WA_HEADER);
    state.authenticate(clientEphemeral);
    const ephemeral = Curve.generateKeyPair();
    this.ephemeral = ephemeral;
    state.authenticate(ephemeral.public);
    state.mix(Curve.sharedKey(ephemeral.private, clientEphemeral));
    const staticEncrypted = state.encrypt(this.serverStatic.public);
    state.mix(Curve.sharedKey(this.serverStatic.private, clientEphemeral));
    const payload = state.encrypt(this.certificates.chainFor(this.serverStatic));
    this.writeFrame(proto.HandshakeMessage.encode({ serverHello: { ephemeral: ephemeral.public, static: staticEncrypted, payload } }).finish());
  }

  private finish(clientFinish: proto.HandshakeMessage.IClientFinish): void {
    if (!this.ephemeral || !clientFinish.static || !clientFinish.payload) throw new Error('fake WhatsApp: finish before hello');
    const state = this.state;
    const clientStatic = state.decrypt(clientFinish.static);
    state.mix(Curve.sharedKey(this.ephemeral.private, clientStatic));
    const payload = proto.ClientPayload.decode(state.decrypt(clientFinish.payload));
    this.transport = new TransportCipher(state.split());
    this.onHandshake({ clientStatic, payload });
  }
}
