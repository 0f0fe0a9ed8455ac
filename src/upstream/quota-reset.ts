/**
 * Google resets per-day Gemini quotas at midnight Pacific time (ai.google.dev/gemini-api/docs/rate-limits).
 * A daily-quota 429 often names no reset time, and its RetryInfo ("38s") does not move the daily cap,
 * so a credential that hit one is cooled until that midnight instead of being retried every few seconds.
 */
const PACIFIC = 'America/Los_Angeles';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let formatter: Intl.DateTimeFormat | undefined;

function pacificClock(at: number): { hour: number; minute: number; second: number } | undefined {
  try {
    formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: PACIFIC,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined; // a Node built without time-zone data
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatter.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
    else if (part.type === 'second') second = Number(part.value);
  }
  return { hour, minute, second };
}

/** Epoch ms of the next midnight in Pacific time after `now` (UTC midnight without time-zone data). */
export function nextPacificMidnight(now: number): number {
  const clock = pacificClock(now);
  if (!clock) return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  const intoDay = ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1000 + (now % 1000);
  let candidate = now - intoDay + DAY_MS;
  // A day with a daylight-saving change is 23 or 25 hours long: land on 00:00 exactly.
  const check = pacificClock(candidate);
  if (check?.hour === 23) candidate += HOUR_MS;
  else if (check?.hour === 1) candidate -= HOUR_MS;
  return candidate;
}
