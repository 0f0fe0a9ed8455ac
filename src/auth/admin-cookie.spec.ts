import { createHmac } from 'node:crypto';
import type { Clock } from '../time/clock';
import { ADMIN_COOKIE, ADMIN_COOKIE_MAX_AGE_MS, AdminCookie, isAdminPath } from './admin-cookie';

const PASSWORD = 's3cret-password';

function cookieAt(start = Date.UTC(2026, 0, 1)) {
  const time = { now: start };
  const clock: Clock = { now: () => time.now };
  return { cookie: new AdminCookie(PASSWORD, clock), time, clock };
}

const header = (value: string) => `${ADMIN_COOKIE}=${value}`;

describe('AdminCookie', () => {
  it('gives a value for the password only, and never the password itself', () => {
    const { cookie } = cookieAt();
    const value = cookie.valueFor(PASSWORD);
    expect(value).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(value).not.toContain('s3cret');
    expect(cookie.valueFor('wrong')).toBeUndefined();
    expect(cookie.valueFor('')).toBeUndefined();
  });

  it('finds its value in a Cookie header among others', () => {
    const { cookie } = cookieAt();
    const value = cookie.valueFor(PASSWORD)!;
    expect(cookie.presentIn(`a=1; ${header(value)}; b=2`)).toBe(true);
  });

  it('carries its expiry, ADMIN_COOKIE_MAX_AGE_MS after it was issued', () => {
    const { cookie, time } = cookieAt();
    const [expiry] = cookie.valueFor(PASSWORD)!.split('.');
    expect(Number(expiry) * 1000).toBe(time.now + ADMIN_COOKIE_MAX_AGE_MS);
  });

  it('gives a different value at each sign-in, not one fixed per password', () => {
    const { cookie, time } = cookieAt();
    const first = cookie.valueFor(PASSWORD)!;
    time.now += 60_000;
    const second = cookie.valueFor(PASSWORD)!;
    expect(second).not.toBe(first);
    expect(cookie.presentIn(header(first))).toBe(true);
    expect(cookie.presentIn(header(second))).toBe(true);
  });

  it('works until its expiry and not from then on', () => {
    const { cookie, time } = cookieAt();
    const value = cookie.valueFor(PASSWORD)!;
    time.now += ADMIN_COOKIE_MAX_AGE_MS - 1;
    expect(cookie.presentIn(header(value))).toBe(true);
    time.now += 1;
    expect(cookie.presentIn(header(value))).toBe(false);
  });

  it('refuses a value whose expiry was moved, even by a leading zero', () => {
    const { cookie } = cookieAt();
    const [expiry, signature] = cookie.valueFor(PASSWORD)!.split('.');
    expect(cookie.presentIn(header(`${Number(expiry) + 3600}.${signature}`))).toBe(false);
    expect(cookie.presentIn(header(`0${expiry}.${signature}`))).toBe(false);
  });

  it('refuses the old fixed value of the password (v1 cookies)', () => {
    const { cookie } = cookieAt();
    const v1 = createHmac('sha256', PASSWORD)
      .update('gemini-proxy /admin cookie v1')
      .digest('base64url');
    expect(cookie.presentIn(header(v1))).toBe(false);
  });

  it.each([
    ['no header', () => undefined],
    ['another cookie', () => 'a=1'],
    ['the password as the value', () => header(PASSWORD)],
    ['a truncated value', () => header(cookieAt().cookie.valueFor(PASSWORD)!.slice(0, -1))],
    [
      'a value with a flipped signature',
      () => header(flipLast(cookieAt().cookie.valueFor(PASSWORD)!)),
    ],
    ['the value for another password', () => header(otherPassword().valueFor('other')!)],
  ])('refuses %s', (_name, cookieHeader) => {
    expect(cookieAt().cookie.presentIn(cookieHeader())).toBe(false);
  });
});

function flipLast(value: string): string {
  return value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
}

function otherPassword(): AdminCookie {
  return new AdminCookie('other', cookieAt().clock);
}

describe('isAdminPath', () => {
  it.each([
    ['/admin', true],
    ['/admin/credentials', true],
    ['/admin/credentials/x/enable', true],
    ['/administrator', false],
    ['/v1/models', false],
    ['/metrics', false],
    ['/', false],
  ])('%s → %s', (path, expected) => {
    expect(isAdminPath(path)).toBe(expected);
  });
});
