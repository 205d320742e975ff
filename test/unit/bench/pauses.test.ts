/** The bench's paused patients: a steady load, not 1,000 messages at one instant. */
import { describe, expect, it } from 'vitest';
import { pauseBefore } from '../../../src/bench/patients.js';

const PAUSE = 5000;
const patients = Array.from({ length: 1000 }, (_, i) => i);

describe('pauses of simulated patients', () => {
  it('starts patients spread over one pause, every tenth of it used', () => {
    const starts = patients.map((p) => pauseBefore(p, 0, PAUSE));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...starts)).toBeLessThan(PAUSE);
    const tenths = new Set(starts.map((ms) => Math.floor(ms / (PAUSE / 10))));
    expect(tenths.size).toBe(10);
  });

  it('waits between half a pause and one and a half, differently from patient to patient', () => {
    const waits = patients.flatMap((p) => [1, 2, 3].map((turn) => pauseBefore(p, turn, PAUSE)));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(PAUSE / 2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(PAUSE * 1.5);
    expect(new Set(waits).size).toBeGreaterThan(500);
  });

  it('is the same every time, so the floor replays the app run’s timing', () => {
    expect(patients.map((p) => pauseBefore(p, 2, PAUSE))).toEqual(patients.map((p) => pauseBefore(p, 2, PAUSE)));
  });
});
