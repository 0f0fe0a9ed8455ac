import { nextPacificMidnight } from '../upstream/quota-reset';

/**
 * The two windows Google counts in: the clock minute and the Pacific day (RPD resets at midnight
 * US Pacific). Windows are fixed, not sliding, so that a count is one integer per window that any
 * replica can increment atomically, and a window has one moment at which it reopens.
 */
export type WindowName = 'minute' | 'day';

export const MINUTE_MS = 60_000;

export interface Window {
  name: WindowName;
  /** Epoch ms at which the window began: part of its counters' identity. */
  start: number;
  /** Epoch ms at which it reopens with nothing counted. */
  end: number;
}

export function minuteWindow(now: number): Window {
  const start = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  return { name: 'minute', start, end: start + MINUTE_MS };
}

/** The day last computed: finding Pacific midnight takes Intl calls, on every request otherwise. */
let lastDay: Window | undefined;

export function dayWindow(now: number): Window {
  if (lastDay && now >= lastDay.start && now < lastDay.end) return lastDay;
  const end = nextPacificMidnight(now);
  // A Pacific day is 23, 24 or 25 hours long; its start is the previous midnight.
  const start = nextPacificMidnight(end - 26 * 3_600_000);
  lastDay = { name: 'day', start: start < end ? start : end - 24 * 3_600_000, end };
  return lastDay;
}
