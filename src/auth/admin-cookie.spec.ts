import { ADMIN_COOKIE, AdminCookie, isAdminPath } from './admin-cookie';

describe('AdminCookie', () => {
  const cookie = new AdminCookie('s3cret-password');

  it('gives a value for the password only, and never the password itself', () => {
    const value = cookie.valueFor('s3cret-password');
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value).not.toContain('s3cret');
    expect(cookie.valueFor('wrong')).toBeUndefined();
    expect(cookie.valueFor('')).toBeUndefined();
  });

  it('finds its value in a Cookie header among others', () => {
    const value = cookie.valueFor('s3cret-password')!;
    expect(cookie.presentIn(`a=1; ${ADMIN_COOKIE}=${value}; b=2`)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another cookie', 'a=1'],
    ['the password as the value', `${ADMIN_COOKIE}=s3cret-password`],
    ['a truncated value', () => `${ADMIN_COOKIE}=${cookie.valueFor('s3cret-password')!.slice(1)}`],
    [
      'the value for another password',
      () => `${ADMIN_COOKIE}=${new AdminCookie('other').valueFor('other')}`,
    ],
  ])('refuses %s', (_name, header) => {
    expect(cookie.presentIn(typeof header === 'function' ? header() : header)).toBe(false);
  });
});

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
