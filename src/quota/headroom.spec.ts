import { roomFor } from './headroom';
import { dayWindow, minuteWindow } from './quota-windows';
import { nextPacificMidnight } from '../upstream/quota-reset';

const NOW = Date.parse('2026-12-07T20:00:30Z');
const minute = minuteWindow(NOW);
const day = dayWindow(NOW);
const counts = (minuteRequests: number, minuteTokens: number, dayRequests: number) => ({
  minute: { start: minute.start, requests: minuteRequests, tokens: minuteTokens },
  day: { start: day.start, requests: dayRequests, tokens: 0 },
});

describe('quota windows', () => {
  it('are the clock minute and the Pacific day', () => {
    expect(minute).toEqual({
      name: 'minute',
      start: Date.parse('2026-12-07T20:00:00Z'),
      end: Date.parse('2026-12-07T20:01:00Z'),
    });
    expect(day.end).toBe(nextPacificMidnight(NOW));
    expect(day.end - day.start).toBe(24 * 3_600_000);
    expect(new Date(day.start).toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });
});

describe('roomFor', () => {
  it.each([
    ['a window with room', counts(4, 0, 10), { rpm: 5, rpd: 20 }, 10, { ok: true }],
    [
      'a full minute',
      counts(5, 0, 10),
      { rpm: 5, rpd: 20 },
      10,
      { ok: false, limit: 'rpm', value: 5, reopensAt: minute.end },
    ],
    [
      'a full day, before a full minute',
      counts(5, 0, 20),
      { rpm: 5, rpd: 20 },
      10,
      { ok: false, limit: 'rpd', value: 20, reopensAt: day.end },
    ],
    [
      'tokens that would overflow the minute',
      counts(1, 900, 1),
      { tpm: 1000 },
      200,
      { ok: false, limit: 'tpm', value: 1000, reopensAt: minute.end },
    ],
    [
      'a request larger than the minute into an empty minute',
      counts(0, 0, 0),
      { tpm: 1000 },
      5000,
      { ok: true },
    ],
    ['unknown limits', counts(500, 1e9, 5000), {}, 10, { ok: true }],
    [
      'a limit of zero',
      counts(0, 0, 0),
      { rpd: 0 },
      10,
      { ok: false, limit: 'rpd', value: 0, reopensAt: day.end },
    ],
  ])('decides %s', (_, c, limits, tokens, expected) => {
    expect(roomFor(c, limits, tokens, minute, day)).toEqual(expected);
  });
});
