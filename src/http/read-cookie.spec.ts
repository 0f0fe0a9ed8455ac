import { readCookie } from './read-cookie';

describe('readCookie', () => {
  it.each([
    ['gen_creds_browser=abc', 'abc'],
    ['a=1; gen_creds_browser=abc; b=2', 'abc'],
    ['gen_creds_browser="abc"', 'abc'],
    ['x_gen_creds_browser=no; gen_creds_browser=yes', 'yes'],
  ])('finds the value in %j', (header, value) => {
    expect(readCookie(header, 'gen_creds_browser')).toBe(value);
  });

  it.each([
    [undefined],
    [''],
    ['other=1'],
    ['gen_creds_browser_x=1'],
    ['gen_creds_browser=%E0%A4%A'],
  ])('finds nothing in %j', (header) => {
    expect(readCookie(header, 'gen_creds_browser')).toBeUndefined();
  });
});
