/**
 * When reminders go out: the send window and its quiet hours, the morning rule, reminders not
 * owed, in the clinic's time zone (Lisbon, with its summer time) and with a window to 24:00.
 */
import { describe, expect, it } from 'vitest';
import { isInSendWindow, nextSendTimeAfter, reminderSendTime, type SendWindow } from '../../../src/reminders/schedule.js';

const ZONE = 'Europe/Lisbon';
const WINDOW: SendWindow = { from: '08:00', to: '21:00' };
const DAY = 24 * 60;

/** A Lisbon wall-clock time in winter (UTC+0) as an instant. */
const winter = (local: string): Date => new Date(`${local}Z`);
/** A Lisbon wall-clock time in summer (UTC+1) as an instant. */
const summer = (local: string): Date => new Date(`${local}+01:00`);

function sendTime(startsAt: Date, offsetMinutes: number, timeSetAt = new Date('2020-01-01T00:00:00Z'), window = WINDOW): Date | null {
  return reminderSendTime({ startsAt, offsetMinutes, timeSetAt, window, zone: ZONE });
}

describe('reminderSendTime', () => {
  it('a reminder due inside the window goes when it is due', () => {
    expect(sendTime(winter('2031-01-15T10:30:00'), DAY)).toEqual(winter('2031-01-14T10:30:00'));
  });

  it('both ends of the window are inside it', () => {
    expect(sendTime(winter('2031-01-15T08:00:00'), DAY)).toEqual(winter('2031-01-14T08:00:00'));
    expect(sendTime(winter('2031-01-15T21:00:00'), DAY)).toEqual(winter('2031-01-14T21:00:00'));
  });

  it('due in the early hours for an afternoon visit: at the end of the quiet hours (08:00)', () => {
    // 10 h before 14:00 is 04:00.
    expect(sendTime(winter('2031-01-15T14:00:00'), 10 * 60)).toEqual(winter('2031-01-15T08:00:00'));
  });

  it('due late in the evening for an afternoon visit two days on: the next morning at 08:00', () => {
    // 40 h before 15:00 on the 16th is 23:00 on the 14th.
    expect(sendTime(winter('2031-01-16T15:00:00'), 40 * 60)).toEqual(winter('2031-01-15T08:00:00'));
  });

  it('due in the quiet hours before a morning visit: earlier, at the close of the window the evening before (21:00)', () => {
    // 3 h before 09:00 is 06:00; 08:00 would leave an hour, so 21:00 the day before.
    expect(sendTime(winter('2031-01-15T09:00:00'), 3 * 60)).toEqual(winter('2031-01-14T21:00:00'));
    // 11:59 still counts as morning, 12:00 does not.
    expect(sendTime(winter('2031-01-15T11:59:00'), 6 * 60)).toEqual(winter('2031-01-14T21:00:00'));
    expect(sendTime(winter('2031-01-15T12:00:00'), 6 * 60 + 1)).toEqual(winter('2031-01-15T08:00:00'));
  });

  it('a visit before the window opens can only be reminded the evening before', () => {
    expect(sendTime(winter('2031-01-15T07:30:00'), 60)).toEqual(winter('2031-01-14T21:00:00'));
  });

  it('a morning visit booked after the evening close gets its reminder when the window opens, if that is still before it', () => {
    const bookedAt = winter('2031-01-14T22:00:00');
    expect(sendTime(winter('2031-01-15T09:00:00'), 3 * 60, bookedAt)).toEqual(winter('2031-01-15T08:00:00'));
    expect(sendTime(winter('2031-01-15T07:30:00'), 60, bookedAt)).toBeNull();
  });

  it('no reminder is owed when it would go before the appointment got its time', () => {
    const start = winter('2031-01-15T10:00:00');
    expect(sendTime(start, DAY, winter('2031-01-14T09:59:59'))).toEqual(winter('2031-01-14T10:00:00'));
    expect(sendTime(start, DAY, winter('2031-01-14T10:00:00'))).toEqual(winter('2031-01-14T10:00:00'));
    expect(sendTime(start, DAY, winter('2031-01-14T10:00:01'))).toBeNull();
  });

  it('fractions of a minute work (a test clinic reminding seconds before)', () => {
    const start = winter('2031-01-15T10:00:00');
    expect(sendTime(start, 0.05)).toEqual(winter('2031-01-15T09:59:57'));
  });

  it('works in clinic time across summer time: 08:00 Lisbon in July is 07:00 UTC', () => {
    expect(sendTime(summer('2031-07-15T14:00:00'), 10 * 60)).toEqual(summer('2031-07-15T08:00:00'));
    expect(sendTime(summer('2031-07-15T09:00:00'), 3 * 60)).toEqual(summer('2031-07-14T21:00:00'));
  });

  it('on the night the clocks go forward the quiet hours still end at 08:00 local time', () => {
    // 30 March 2031: 01:00 → 02:00 in Lisbon. A 14:00 visit reminded 10 h before (03:00 local).
    expect(sendTime(summer('2031-03-30T14:00:00'), 10 * 60)).toEqual(summer('2031-03-30T08:00:00'));
  });

  it('a window to 24:00 has quiet hours only in the early morning', () => {
    const lateWindow: SendWindow = { from: '07:00', to: '24:00' };
    expect(sendTime(winter('2031-01-16T23:30:00'), DAY, undefined, lateWindow)).toEqual(winter('2031-01-15T23:30:00'));
    expect(sendTime(winter('2031-01-15T09:00:00'), 4 * 60, undefined, lateWindow)).toEqual(winter('2031-01-15T00:00:00'));
    expect(sendTime(winter('2031-01-15T13:00:00'), 10 * 60, undefined, lateWindow)).toEqual(winter('2031-01-15T07:00:00'));
  });
});

describe('isInSendWindow and nextSendTimeAfter', () => {
  it('tells the window from the quiet hours in clinic time', () => {
    expect(isInSendWindow(winter('2031-01-15T07:59:59'), WINDOW, ZONE)).toBe(false);
    expect(isInSendWindow(winter('2031-01-15T08:00:00'), WINDOW, ZONE)).toBe(true);
    expect(isInSendWindow(winter('2031-01-15T21:00:00'), WINDOW, ZONE)).toBe(true);
    expect(isInSendWindow(winter('2031-01-15T21:00:01'), WINDOW, ZONE)).toBe(false);
    expect(isInSendWindow(summer('2031-07-15T07:30:00'), WINDOW, ZONE)).toBe(false);
  });

  it('a late reminder found in the quiet hours waits for the window to open, unless the visit comes first', () => {
    const start = winter('2031-01-15T10:00:00');
    expect(nextSendTimeAfter(winter('2031-01-15T03:00:00'), start, WINDOW, ZONE)).toEqual(winter('2031-01-15T08:00:00'));
    expect(nextSendTimeAfter(winter('2031-01-14T23:00:00'), start, WINDOW, ZONE)).toEqual(winter('2031-01-15T08:00:00'));
    expect(nextSendTimeAfter(winter('2031-01-15T03:00:00'), winter('2031-01-15T07:45:00'), WINDOW, ZONE)).toBeNull();
    expect(nextSendTimeAfter(winter('2031-01-15T12:00:00'), start, WINDOW, ZONE)).toEqual(winter('2031-01-15T12:00:00'));
  });
});
