/**
 * One bench run: N simulated patients all at once through the real pipeline (optionally
 * recording their traffic), or that recorded traffic replayed bare (the floor).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Runtime } from '../app.js';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { createFloorSchema } from '../db/floor.js';
import { pauseBefore, simulatePatient, sleep, type PatientScript } from './patients.js';
import { replayTurn, TrafficRecorder, type RecordedTurn } from './recorder.js';
import { deleteKeys, DATABASE_URL, REDIS_URL, type BenchPlace } from './services-runtime.js';
import { measure, summarize, type BenchFigures } from './stats.js';

export interface AppRunOptions {
  label: string;
  patients: number;
  pauseMs?: number;
  /** Record every turn's traffic for the floor. */
  record?: boolean;
  /** Conversation ids must differ between runs on one runtime. */
  idPrefix: string;
}

export interface AppRun {
  figures: BenchFigures;
  /** Per patient, per turn: what it sent (when recorded). */
  traffic: RecordedTurn[][];
}

export function scriptsFor(patients: number, idPrefix: string, offset = 0): PatientScript[] {
  return Array.from({ length: patients }, (_, i) => ({
    id: `${idPrefix}-${i + offset}`,
    locale: SUPPORTED_LOCALES[(i + offset) % SUPPORTED_LOCALES.length] ?? 'en',
    variant: i + offset,
  }));
}

export async function appRun(runtime: Runtime, options: AppRunOptions): Promise<AppRun> {
  const scripts = scriptsFor(options.patients, options.idPrefix);
  const recorder = options.record ? new TrafficRecorder() : null;
  const traffic: RecordedTurn[][] = scripts.map(() => []);
  recorder?.install();
  try {
    const { result: outcomes, measured } = await measure((latencies) =>
      Promise.all(
        scripts.map((script, index) =>
          simulatePatient(runtime.assistant, script, latencies, {
            ...(options.pauseMs ? { pauseMs: options.pauseMs } : {}),
            ...(recorder
              ? {
                  aroundTurn: async <T>(turn: () => Promise<T>) => {
                    const { result, traffic: sent } = await recorder.during(turn);
                    traffic[index]?.push(sent);
                    return result;
                  },
                }
              : {}),
          }),
        ),
      ),
    );
    const booked = await countBooked(runtime, scripts);
    const retried = outcomes.filter((o) => o.retriedAfterTaken).length;
    return { figures: summarize(options.label, options.patients, measured, { booked, retried }), traffic };
  } finally {
    recorder?.stop();
  }
}

/** Bookings as the database has them (not timed). */
export async function countBooked(runtime: Runtime, scripts: PatientScript[]): Promise<number> {
  let booked = 0;
  for (const script of scripts) {
    const patient = await runtime.records.patients.findByIdentity({ channel: 'webchat', externalId: script.id });
    if (patient) booked += (await runtime.records.appointments.listUpcomingForPatient(patient.id, new Date(0))).length;
  }
  return booked;
}

/**
 * The floor: the recorded traffic of an app run replayed bare against a fresh copy of its
 * database (with its patients, whose ids the statements carry) and a Redis emptied of the run's
 * keys, with the same patients at the same time and the same pauses.
 */
export async function floorRun(label: string, place: BenchPlace, traffic: RecordedTurn[][], pauseMs = 0): Promise<BenchFigures> {
  await deleteKeys(place.prefix, /:bull:/);
  const floorSchema = `${place.schema}_floor`;
  const floor = await createFloorSchema(DATABASE_URL, floorSchema, place.schema);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20, options: `-c search_path=${floorSchema},public` });
  const redis = new Redis(REDIS_URL);
  let errors = 0;
  try {
    await pool.query('select 1');
    await redis.ping();
    const { measured } = await measure((latencies) =>
      Promise.all(
        traffic.map(async (turns, patient) => {
          for (let index = 0; index < turns.length; index += 1) {
            if (pauseMs) await sleep(pauseBefore(patient, index, pauseMs));
            const started = performance.now();
            errors += await replayTurn(turns[index] ?? [], redis, pool);
            latencies.push(performance.now() - started);
          }
        }),
      ),
    );
    return summarize(label, traffic.length, measured, { booked: '—', retried: errors > 0 ? `${errors} replay errors` : '—' });
  } finally {
    redis.disconnect();
    await pool.end();
    await floor.drop();
  }
}
