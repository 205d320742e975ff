/**
 * A loopback fake of WhatsApp's server for the real `makeWASocket` (pointed here with
 * WHATSAPP_WS_URL): Noise XX handshake, login and registration, QR and pairing-code linking
 * through a simulated clinic phone, the iqs a companion device sends, pre-key bundles,
 * message routing to simulated patients (end-to-end encrypted with libsignal), offline
 * delivery, and the disconnects the connection policy reacts to (440, 515, 401, close, silence).
 *
 * WhatsApp's servers are the one thing we cannot run here; this plays their part at the
 * protocol level. Nothing of the app is mocked.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Curve, decodeBinaryNode, encodeBinaryNode, proto, type BinaryNode, type KeyPair } from '@whiskeysockets/baileys';
import { WebSocketServer, type WebSocket } from 'ws';
import { createTestCertificates, NoiseServerConnection, type HandshakeResult, type TestCertificates } from './noise.js';
import { bigEndian, bytes, child, childBytes, children, childrenNamed, iqResult, node, SERVER_JID, uint } from './nodes.js';
import { ClinicPhone, PairingCodeExchange, parseQr, type CompanionToLink } from './phone.js';
import { SignalDevice, type CipherType, type PreKeyBundle } from './signal-device.js';

/** A companion device (the bot) the clinic phone linked. */
interface LinkedDevice {
  device: number;
  noiseKey: string;
  identityKey: Buffer;
  registrationId: number;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer } | null;
  preKeys: Map<number, Buffer>;
  removed: boolean;
}

interface Registration {
  identityKey: Buffer;
  registrationId: number;
  refs: string[];
  pairingCode: { wrapped: Buffer; exchange: PairingCodeExchange | null } | null;
}

/** What the bot sent that tests look at: receipts, typing, presence, messages. */
export interface ObservedNode {
  tag: string;
  attrs: Record<string, string>;
  firstChild: string | null;
  at: number;
}

export interface ReceivedMessage {
  id: string;
  text: string;
  type: CipherType;
}

class Connection {
  readonly noise: NoiseServerConnection;
  device: LinkedDevice | null = null;
  registration: Registration | null = null;
  clientNoiseKey: string | null = null;
  private readonly waiting = new Map<string, (reply: BinaryNode) => void>();

  constructor(
    readonly ws: WebSocket,
    staticKey: KeyPair,
    certificates: TestCertificates,
    onHandshake: (connection: Connection, result: HandshakeResult) => void,
    onNode: (connection: Connection, node: BinaryNode) => void,
  ) {
    this.noise = new NoiseServerConnection(
      staticKey,
      certificates,
      (data) => ws.send(data),
      (result) => onHandshake(this, result),
      (plaintext) => {
        void decodeBinaryNode(plaintext).then((decoded) => {
          const id = decoded.attrs.id;
          const waiter = id ? this.waiting.get(id) : undefined;
          if (waiter && decoded.tag === 'iq' && (decoded.attrs.type === 'result' || decoded.attrs.type === 'error')) {
            this.waiting.delete(id ?? '');
            waiter(decoded);
          } else {
            onNode(this, decoded);
          }
        });
      },
    );
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(message: BinaryNode): void {
    if (this.open) this.noise.sendFrame(encodeBinaryNode(message));
  }

  /** Sends an iq and resolves with the client's answer. */
  ask(request: BinaryNode, timeoutMs = 10_000): Promise<BinaryNode> {
    const id = request.attrs.id ?? `srv-${randomBytes(4).toString('hex')}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake WhatsApp: no answer to ${request.tag} ${id}`)), timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.send({ ...request, attrs: { ...request.attrs, id } });
    });
  }
}

export interface FakeWhatsAppOptions {
  /** The clinic's number (digits only) and its LID user. */
  phoneNumber?: string;
  lidUser?: string;
}

export class FakeWhatsApp {
  readonly phone: ClinicPhone;
  readonly certificates = createTestCertificates();
  /** Everything the bot sent besides iqs and messages (receipts, presence, typing), in order. */
  readonly observed: ObservedNode[] = [];
  readonly events = new EventEmitter();
  private readonly staticKey = Curve.generateKeyPair();
  private readonly connections = new Set<Connection>();
  private readonly devices = new Map<string, LinkedDevice>();
  private readonly patients = new Map<string, SimulatedPatient>();
  private readonly offlineQueue: BinaryNode[] = [];
  private nextDevice = 5;
  /** While true, new connections get no handshake answer: the client times out (408). */
  silent = false;
  /** Handshakes answered, logins, registrations: for tests counting reconnects. */
  readonly counts = { connections: 0, logins: 0, registrations: 0 };

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
    options: FakeWhatsAppOptions,
  ) {
    this.phone = new ClinicPhone(options.phoneNumber ?? '351910000000', options.lidUser ?? '88000000000001');
    wss.on('connection', (ws) => this.accept(ws));
  }

  static async start(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const address = wss.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new FakeWhatsApp(wss, `ws://127.0.0.1:${port}/ws/chat`, options);
  }

  /** Environment for the app: where to connect and which root certificate to trust. */
  get appEnv(): Record<string, string> {
    return { WHATSAPP_WS_URL: this.url, WHATSAPP_NOISE_ROOT_KEY: this.certificates.rootPublicKeyHex };
  }

  get linkedDevice(): { jid: string; lid: string } | null {
    const device = [...this.devices.values()].find((d) => !d.removed);
    return device ? { jid: `${this.phone.number}:${device.device}@s.whatsapp.net`, lid: `${this.phone.lidUser}:${device.device}@lid` } : null;
  }

  /** Connections whose handshake is done and that are logged in. */
  get onlineConnections(): number {
    return [...this.connections].filter((c) => c.open && c.device).length;
  }

  get openConnections(): number {
    return [...this.connections].filter((c) => c.open).length;
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ---- linking ---------------------------------------------------------------------------

  /** The clinic phone scans a QR code the bot shows. */
  async scanQr(qr: string): Promise<void> {
    const { noiseKey, identityKey, advSecret } = parseQr(qr);
    const connection = [...this.connections].find((c) => c.open && c.clientNoiseKey === noiseKey.toString('hex') && c.registration);
    if (!connection?.registration) throw new Error('fake WhatsApp: no device is showing this QR code');
    await this.pairSuccess(connection, { identityKey, advSecret });
  }

  /** Someone types the pairing code the bot showed into the clinic phone. */
  async enterPairingCode(code: string): Promise<void> {
    const connection = [...this.connections].find((c) => c.open && c.registration?.pairingCode);
    const pending = connection?.registration?.pairingCode;
    if (!connection || !pending) throw new Error('fake WhatsApp: no device asked for a pairing code');
    const exchange = new PairingCodeExchange(this.phone, code.replace(/-/g, ''));
    await exchange.unwrapCompanion(pending.wrapped);
    pending.exchange = exchange;
    connection.send(
      node('notification', { from: SERVER_JID, type: 'link_code_companion_reg', id: `lc-${randomBytes(4).toString('hex')}`, t: now() }, [
        node('link_code_companion_reg', {}, [
          node('link_code_pairing_ref', {}, Buffer.from('pairing-ref')),
          node('primary_identity_pub', {}, this.phone.identity.public),
          node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, await exchange.wrapPrimary()),
        ]),
      ]),
    );
  }

  /** The phone removes the linked device (Settings → Linked devices → Log out): 401 now and at every login. */
  unlinkFromPhone(): void {
    for (const device of this.devices.values()) device.removed = true;
    for (const connection of this.connections) if (connection.device) this.fail(connection, 401);
  }

  // ---- disconnects ----------------------------------------------------------------------

  /** `<stream:error>`: 515 restart required, or 440 (`conflict type="replaced"`). */
  streamError(code: 515 | 440): void {
    const error = code === 440 ? node('stream:error', {}, [node('conflict', { type: 'replaced' })]) : node('stream:error', { code: '515' });
    for (const connection of this.onlineOrRegistering()) {
      connection.send(error);
      setTimeout(() => connection.ws.close(), 50);
    }
  }

  /** `<failure reason="…">`: 401 logged out, 403 banned. */
  failure(code: 401 | 403): void {
    for (const connection of this.onlineOrRegistering()) this.fail(connection, code);
  }

  /** Closes every connection cleanly (the client sees 428, connection closed). */
  closeConnections(): void {
    for (const connection of this.connections) connection.ws.close();
  }

  // ---- patients --------------------------------------------------------------------------

  /** A patient's phone; `phone` (digits) is told to the bot alongside the LID unless hidden. */
  patient(options: { lidUser: string; phone?: string; pushName?: string; hidePhone?: boolean }): SimulatedPatient {
    const patient = new SimulatedPatient(this, options.lidUser, options.phone ?? null, options.pushName ?? 'Patient', options.hidePhone ?? false);
    this.patients.set(options.lidUser, patient);
    return patient;
  }

  /** @internal for SimulatedPatient: a bundle of the linked bot device, using up one pre-key. */
  takeBotBundle(): PreKeyBundle {
    const device = [...this.devices.values()].find((d) => !d.removed);
    if (!device?.signedPreKey) throw new Error('fake WhatsApp: the bot has not uploaded its keys');
    const [first] = device.preKeys.entries();
    if (first) device.preKeys.delete(first[0]);
    return {
      registrationId: device.registrationId,
      identityKey: device.identityKey,
      signedPreKey: device.signedPreKey,
      ...(first ? { preKey: { keyId: first[0], publicKey: first[1] } } : {}),
    };
  }

  /** @internal for SimulatedPatient: delivers a message stanza to the bot now, or when it is back online. */
  deliverToBot(stanza: BinaryNode): void {
    const connection = [...this.connections].find((c) => c.open && c.device && !c.device.removed);
    if (connection) connection.send(stanza);
    else this.offlineQueue.push(stanza);
  }

  // ---- connections -----------------------------------------------------------------------

  private accept(ws: WebSocket): void {
    this.counts.connections += 1;
    const connection = new Connection(
      ws,
      this.staticKey,
      this.certificates,
      (c, result) => this.afterHandshake(c, result),
      (c, received) => {
        try {
          this.handle(c, received);
        } catch (error) {
          this.events.emit('error', error);
        }
      },
    );
    this.connections.add(connection);
    ws.on('message', (data: Buffer) => {
      if (this.silent && !connection.noise.established) return;
      try {
        connection.noise.receive(Buffer.from(data));
      } catch (error) {
        this.events.emit('error', error);
        ws.close();
      }
    });
    ws.on('close', () => this.connections.delete(connection));
    ws.on('error', () => undefined);
  }

  private onlineOrRegistering(): Connection[] {
    return [...this.connections].filter((c) => c.open && (c.device || c.registration));
  }

  private fail(connection: Connection, code: number): void {
    connection.send(node('failure', { reason: String(code), location: 'test' }));
    setTimeout(() => connection.ws.close(), 50);
  }

  private afterHandshake(connection: Connection, { clientStatic, payload }: HandshakeResult): void {
    connection.clientNoiseKey = clientStatic.toString('hex');
    if (payload.devicePairingData) {
      this.counts.registrations += 1;
      this.startRegistration(connection, payload.devicePairingData);
      return;
    }
    const device = this.devices.get(connection.clientNoiseKey);
    if (!device || device.removed || String(payload.username) !== this.phone.number || payload.device !== device.device) {
      this.fail(connection, 401);
      return;
    }
    this.counts.logins += 1;
    // One socket per device: the older one is told it was replaced (440), as WhatsApp does.
    for (const other of this.connections) {
      if (other !== connection && other.device === device && other.open) {
        other.send(node('stream:error', {}, [node('conflict', { type: 'replaced' })]));
        setTimeout(() => other.ws.close(), 50);
      }
    }
    connection.device = device;
    connection.send(node('success', { t: now(), lid: `${this.phone.lidUser}:${device.device}@lid`, props: '1', abprops: '1', location: 'test' }));
    const pending = this.offlineQueue.splice(0);
    for (const stanza of pending) connection.send({ ...stanza, attrs: { ...stanza.attrs, offline: '1' } });
    connection.send(node('ib', { from: SERVER_JID }, [node('offline', { count: String(pending.length) })]));
    this.events.emit('login', device.device);
  }

  private startRegistration(connection: Connection, data: proto.ClientPayload.IDevicePairingRegistrationData): void {
    if (!data.eIdent || !data.eRegid) throw new Error('fake WhatsApp: registration without identity');
    const refs = Array.from({ length: 6 }, () => randomBytes(12).toString('base64url'));
    connection.registration = {
      identityKey: Buffer.from(data.eIdent),
      registrationId: Buffer.from(data.eRegid).readUIntBE(0, data.eRegid.length),
      refs,
      pairingCode: null,
    };
    connection.send(
      node('iq', { from: SERVER_JID, type: 'set', id: `pair-${randomBytes(4).toString('hex')}`, xmlns: 'md' }, [
        node('pair-device', {}, refs.map((ref) => node('ref', {}, Buffer.from(ref)))),
      ]),
    );
  }

  /** The phone accepted: pair-success, the client signs, the server asks it to restart (515). */
  private async pairSuccess(connection: Connection, companion: CompanionToLink): Promise<void> {
    const registration = connection.registration;
    if (!registration || !connection.clientNoiseKey) throw new Error('fake WhatsApp: not registering');
    const device = this.nextDevice++;
    const answer = await connection.ask(
      node('iq', { from: SERVER_JID, type: 'set', xmlns: 'md', t: now() }, [
        node('pair-success', {}, [
          node('device-identity', {}, this.phone.signDeviceIdentity(companion, 1)),
          node('platform', { name: 'smba' }),
          node('device', { jid: `${this.phone.number}:${device}@s.whatsapp.net`, lid: `${this.phone.lidUser}:${device}@lid` }),
        ]),
      ]),
    );
    if (!child(answer, 'pair-device-sign')) throw new Error('fake WhatsApp: the device did not sign its identity');
    for (const other of this.devices.values()) other.removed = true;
    this.devices.set(connection.clientNoiseKey, {
      device,
      noiseKey: connection.clientNoiseKey,
      identityKey: registration.identityKey,
      registrationId: registration.registrationId,
      signedPreKey: null,
      preKeys: new Map(),
      removed: false,
    });
    connection.registration = null;
    this.events.emit('linked', device);
    connection.send(node('stream:error', { code: '515' }));
    setTimeout(() => connection.ws.close(), 50);
  }

  // ---- what the bot sends ---------------------------------------------------------------

  private handle(connection: Connection, received: BinaryNode): void {
    if (received.tag === 'iq') {
      void this.answerIq(connection, received).catch((error: unknown) => this.events.emit('error', error));
      return;
    }
    if (received.tag === 'message') {
      this.routeFromBot(connection, received);
      return;
    }
    this.observed.push({ tag: received.tag, attrs: received.attrs, firstChild: children(received)[0]?.tag ?? null, at: Date.now() });
    this.events.emit('observed', received);
  }

  private async answerIq(connection: Connection, iq: BinaryNode): Promise<void> {
    const xmlns = iq.attrs.xmlns;
    const first = children(iq)[0];
    const device = connection.device;
    if (xmlns === 'encrypt' && first?.tag === 'count') {
      connection.send(iqResult(iq, [node('count', { value: String(device?.preKeys.size ?? 0) })]));
    } else if (xmlns === 'encrypt' && iq.attrs.type === 'set' && child(iq, 'list') && device) {
      this.storeBotKeys(device, iq);
      connection.send(iqResult(iq));
    } else if (xmlns === 'encrypt' && first?.tag === 'digest') {
      connection.send(iqResult(iq, [node('digest', {})]));
    } else if (xmlns === 'encrypt' && first?.tag === 'key') {
      connection.send(iqResult(iq, [node('list', {}, childrenNamed(first, 'user').map((user) => this.bundleNode(user.attrs.jid ?? '')))]));
    } else if (xmlns === 'usync') {
      connection.send(iqResult(iq, [this.usyncResult(connection, iq)]));
    } else if (xmlns === 'privacy' && iq.attrs.type === 'get') {
      connection.send(iqResult(iq, [node('privacy', {}, [node('category', { name: 'readreceipts', value: 'all' }), node('category', { name: 'last', value: 'all' })])]));
    } else if (xmlns === 'privacy' && first?.tag === 'tokens') {
      // Privacy tokens (tctoken) for the contacts the bot writes to.
      const tokens = childrenNamed(first, 'token').map((token) =>
        node('token', { jid: token.attrs.jid ?? '', t: token.attrs.t ?? now(), type: 'trusted_contact' }, randomBytes(16)),
      );
      connection.send(iqResult(iq, [node('tokens', {}, tokens)]));
    } else if (xmlns === 'md' && first?.tag === 'link_code_companion_reg') {
      await this.linkCodeStage(connection, iq, first);
    } else if (xmlns === 'md' && first?.tag === 'remove-companion-device') {
      if (device) device.removed = true;
      connection.send(iqResult(iq));
      this.events.emit('logout');
    } else {
      connection.send(iqResult(iq));
    }
  }

  private async linkCodeStage(connection: Connection, iq: BinaryNode, stage: BinaryNode): Promise<void> {
    if (stage.attrs.stage === 'companion_hello') {
      if (connection.registration) {
        connection.registration.pairingCode = { wrapped: childBytes(stage, 'link_code_pairing_wrapped_companion_ephemeral_pub'), exchange: null };
      }
      connection.send(iqResult(iq, [node('link_code_companion_reg', {}, [node('link_code_pairing_ref', {}, Buffer.from('pairing-ref'))])]));
      this.events.emit('pairing_code_requested', stage.attrs.jid);
      return;
    }
    const exchange = connection.registration?.pairingCode?.exchange;
    if (stage.attrs.stage !== 'companion_finish' || !exchange) {
      connection.send(iqResult(iq));
      return;
    }
    const companion = exchange.finish(childBytes(stage, 'link_code_pairing_wrapped_key_bundle'), childBytes(stage, 'companion_identity_public'));
    connection.send(iqResult(iq));
    await this.pairSuccess(connection, companion);
  }

  private storeBotKeys(device: LinkedDevice, iq: BinaryNode): void {
    device.registrationId = uint(iq, 'registration');
    for (const key of childrenNamed(child(iq, 'list'), 'key')) device.preKeys.set(uint(key, 'id'), childBytes(key, 'value'));
    const skey = child(iq, 'skey');
    if (skey) device.signedPreKey = { keyId: uint(skey, 'id'), publicKey: childBytes(skey, 'value'), signature: childBytes(skey, 'signature') };
  }

  private bundleNode(jid: string): BinaryNode {
    const patient = this.patients.get(jid.split('@')[0]?.split(':')[0] ?? '');
    if (!patient) return node('user', { jid }, [node('error', { code: '404', text: 'item-not-found' })]);
    const bundle = patient.device.bundle();
    return node('user', { jid }, [
      node('registration', {}, bigEndian(bundle.registrationId, 4)),
      node('type', {}, Buffer.from([5])),
      node('identity', {}, bundle.identityKey),
      node('skey', {}, [
        node('id', {}, bigEndian(bundle.signedPreKey.keyId, 3)),
        node('value', {}, bundle.signedPreKey.publicKey),
        node('signature', {}, bundle.signedPreKey.signature),
      ]),
      ...(bundle.preKey ? [node('key', {}, [node('id', {}, bigEndian(bundle.preKey.keyId, 3)), node('value', {}, bundle.preKey.publicKey)])] : []),
    ]);
  }

  /** Device lists: patients have their phone (device 0); the clinic's account has the bot's device. */
  private usyncResult(connection: Connection, iq: BinaryNode): BinaryNode {
    const usync = child(iq, 'usync');
    const users = childrenNamed(child(usync, 'list'), 'user').map((user) => user.attrs.jid ?? '');
    const list = users.map((jid) => {
      const [user = '', server = ''] = jid.split('@');
      const own = user === this.phone.number || user === this.phone.lidUser;
      const devices = own && connection.device ? [node('device', { id: String(connection.device.device), 'key-index': '1' })] : [node('device', { id: '0' })];
      const patient = [...this.patients.values()].find((p) => p.lidUser === user || p.phone === user);
      const lid = server === 's.whatsapp.net' && patient ? [node('lid', { val: `${patient.lidUser}@lid` })] : [];
      return node('user', { jid }, [node('devices', {}, [node('device-list', {}, devices)]), ...lid]);
    });
    return node('usync', {}, [node('list', {}, list)]);
  }

  private routeFromBot(connection: Connection, message: BinaryNode): void {
    const id = message.attrs.id ?? '';
    for (const to of childrenNamed(child(message, 'participants'), 'to')) {
      const user = (to.attrs.jid ?? '').split('@')[0]?.split(':')[0] ?? '';
      const patient = [...this.patients.values()].find((p) => p.lidUser === user || p.phone === user);
      const enc = child(to, 'enc');
      if (patient && enc) void patient.receive(id, (enc.attrs.type as CipherType) ?? 'msg', bytes(enc));
    }
    connection.send(node('ack', { class: 'message', id, from: message.attrs.to ?? '', t: now() }));
  }
}

/** A patient's phone: sends encrypted messages to the clinic's number, decrypts the replies. */
export class SimulatedPatient {
  readonly device = new SignalDevice();
  /** Replies the patient could decrypt, in order of arrival. */
  readonly received: ReceivedMessage[] = [];
  readonly failures: string[] = [];
  private readonly arrivals = new EventEmitter();

  constructor(
    private readonly server: FakeWhatsApp,
    readonly lidUser: string,
    readonly phone: string | null,
    readonly pushName: string,
    private readonly hidePhone: boolean,
  ) {}

  get lid(): string {
    return `${this.lidUser}@lid`;
  }

  /** Sends a message (text, or any message content) and returns its id. */
  async send(content: string | proto.IMessage, options: { id?: string } = {}): Promise<string> {
    if (!this.device.hasSession('bot')) {
      await this.device.startSession('bot', this.server.takeBotBundle());
      // A phone writing to a contact first issues it a privacy token (tctoken), as WhatsApp does.
      this.server.deliverToBot(
        node('notification', { from: this.lid, type: 'privacy_token', id: `pt-${randomBytes(4).toString('hex')}`, t: now(), sender_lid: this.lid }, [
          node('tokens', {}, [node('token', { jid: this.server.phone.number + '@s.whatsapp.net', t: now(), type: 'trusted_contact' }, randomBytes(16))]),
        ]),
      );
    }
    const message: proto.IMessage = typeof content === 'string' ? { conversation: content } : content;
    const { type, ciphertext } = await this.device.encrypt('bot', message);
    const id = options.id ?? `3A${randomBytes(9).toString('hex').toUpperCase()}`;
    const attrs: Record<string, string> = { from: this.lid, id, t: now(), type: 'text', notify: this.pushName, addressing_mode: 'lid' };
    if (this.phone && !this.hidePhone) attrs.sender_pn = `${this.phone}@s.whatsapp.net`;
    this.server.deliverToBot(node('message', attrs, [node('enc', { v: '2', type }, ciphertext)]));
    return id;
  }

  /** Waits for the next reply this patient has not looked at yet. */
  async nextReply(timeoutMs = 15_000): Promise<ReceivedMessage> {
    const seen = this.consumed;
    const deadline = Date.now() + timeoutMs;
    while (this.received.length <= seen) {
      if (this.failures.length > 0) throw new Error(`the patient could not decrypt a reply: ${this.failures.join('; ')}`);
      if (Date.now() > deadline) throw new Error(`no reply reached the patient within ${timeoutMs} ms`);
      await Promise.race([new Promise((resolve) => this.arrivals.once('message', resolve)), sleep(100)]);
    }
    this.consumed += 1;
    const reply = this.received[seen];
    if (!reply) throw new Error('unreachable');
    return reply;
  }

  /** Every reply to come within `quietMs` of each other, e.g. the several messages of one turn. */
  async repliesUntilQuiet(quietMs = 800, timeoutMs = 15_000): Promise<ReceivedMessage[]> {
    const first = await this.nextReply(timeoutMs);
    const all = [first];
    for (;;) {
      try {
        all.push(await this.nextReply(quietMs));
      } catch {
        return all;
      }
    }
  }

  private consumed = 0;

  /** @internal from the server: one encrypted message from the bot. */
  async receive(id: string, type: CipherType, ciphertext: Buffer): Promise<void> {
    try {
      const message = await this.device.decrypt('bot', type, ciphertext);
      const text = message.conversation ?? message.extendedTextMessage?.text ?? '';
      this.received.push({ id, text, type });
      this.arrivals.emit('message');
    } catch (error) {
      this.failures.push(String(error));
      this.arrivals.emit('message');
    }
  }
}

function now(): string {
  return String(Math.floor(Date.now() / 1000));
}
