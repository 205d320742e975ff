/**
 * The bench's floor: every Redis command and SQL statement a turn sends is recorded (per turn,
 * in order) while the app runs, then replayed bare — the same commands, the same statements
 * with the same values, at the same concurrency — with nothing of the app around them. What the
 * app adds to a turn is then the difference between the two runs.
 *
 * Recording wraps the drivers' own send methods (ioredis' sendCommand, pg's Client.query) and
 * tells turns apart with AsyncLocalStorage: only work started inside `during()` is recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Redis, type Command } from 'ioredis';
import pg from 'pg';

export type RecordedOp =
  | { kind: 'redis'; name: string; args: unknown[] }
  | { kind: 'sql'; connection: number; text: string; values?: unknown[] };

/** One turn's traffic, in the order it was sent. */
export type RecordedTurn = RecordedOp[];

type ClientQuery = (this: pg.Client, ...args: unknown[]) => unknown;
type SendCommand = (this: Redis, command: Command, ...rest: unknown[]) => unknown;

export class TrafficRecorder {
  private readonly current = new AsyncLocalStorage<RecordedTurn>();
  private readonly connections = new WeakMap<object, number>();
  private nextConnection = 1;
  private uninstall: (() => void) | null = null;

  /** Starts recording (for the whole process); call `stop()` when done. */
  install(): void {
    if (this.uninstall) return;
    const originalQuery = pg.Client.prototype.query as unknown as ClientQuery;
    const originalSend = Redis.prototype.sendCommand as unknown as SendCommand;
    const recordSql = (client: object, args: unknown[]) => this.recordSql(client, args);
    const recordRedis = (command: Command) => this.current.getStore()?.push({ kind: 'redis', name: command.name, args: [...command.args] });
    const patchedQuery: ClientQuery = function (this: pg.Client, ...args: unknown[]) {
      recordSql(this, args);
      return originalQuery.apply(this, args);
    };
    const patchedSend: SendCommand = function (this: Redis, command: Command, ...rest: unknown[]) {
      recordRedis(command);
      return originalSend.call(this, command, ...rest);
    };
    (pg.Client.prototype as unknown as { query: ClientQuery }).query = patchedQuery;
    (Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = patchedSend;
    this.uninstall = () => {
      (pg.Client.prototype as unknown as { query: ClientQuery }).query = originalQuery;
      (Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = originalSend;
    };
  }

  stop(): void {
    this.uninstall?.();
    this.uninstall = null;
  }

  /** Runs `work` and returns what it sent. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; traffic: RecordedTurn }> {
    const traffic: RecordedTurn = [];
    const result = await this.current.run(traffic, work);
    return { result, traffic };
  }

  private recordSql(client: object, args: unknown[]): void {
    const traffic = this.current.getStore();
    if (!traffic) return;
    const [first, second] = args;
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (typeof text !== 'string') return;
    const values = Array.isArray(second) ? second : (first as { values?: unknown[] } | undefined)?.values;
    let connection = this.connections.get(client);
    if (connection === undefined) {
      connection = this.nextConnection++;
      this.connections.set(client, connection);
    }
    traffic.push({ kind: 'sql', connection, text, ...(values ? { values } : {}) });
  }
}

/**
 * Sends one recorded turn again, bare: Redis commands as they were, SQL statements with their
 * values (a transaction's statements on one connection, as they were). Errors are counted, not
 * thrown: what a statement finds may differ from the first time, its cost hardly.
 */
export async function replayTurn(turn: RecordedTurn, redis: Redis, pool: pg.Pool): Promise<number> {
  let errors = 0;
  for (let index = 0; index < turn.length; index += 1) {
    const op = turn[index];
    if (!op) continue;
    if (op.kind === 'redis') {
      await redis.call(op.name, ...(op.args as (string | number | Buffer)[])).catch(() => (errors += 1));
      continue;
    }
    if (!/^\s*begin/i.test(op.text)) {
      await pool.query(op.text, op.values).catch(() => (errors += 1));
      continue;
    }
    // A transaction: its statements go to one connection until it ends.
    const client = await pool.connect();
    try {
      for (; index < turn.length; index += 1) {
        const step = turn[index];
        if (!step || step.kind !== 'sql' || step.connection !== op.connection) continue;
        await client.query(step.text, step.values).catch(() => (errors += 1));
        if (/^\s*(commit|rollback)/i.test(step.text)) break;
      }
    } finally {
      client.release();
    }
  }
  return errors;
}
