import { nextPacificMidnight } from './quota-reset';

describe('nextPacificMidnight', () => {
  it.each([
    ['in winter (UTC-8)', '2026-01-15T20:30:00Z', '2026-01-16T08:00:00Z'],
    ['in summer (UTC-7)', '2026-07-15T06:59:59Z', '2026-07-15T07:00:00Z'],
    ['just after midnight', '2026-07-15T07:00:01Z', '2026-07-16T07:00:00Z'],
    ['before the clocks go forward', '2026-03-08T09:00:00Z', '2026-03-09T07:00:00Z'],
    ['before the clocks go back', '2026-11-01T08:30:00Z', '2026-11-02T08:00:00Z'],
  ])('finds the next Pacific midnight %s', (_when, now, expected) => {
    expect(new Date(nextPacificMidnight(Date.parse(now))).toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });
});
