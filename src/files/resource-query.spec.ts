import { decodeCursor, encodeCursor, forwardedQuery } from './resource-query';

describe('forwardedQuery', () => {
  it('never passes the proxy password on to Google', () => {
    expect(forwardedQuery({ key: 'pw', pageSize: '5' })).toBe('?pageSize=5');
  });

  it('drops the parameters named and answers nothing for an empty query', () => {
    expect(forwardedQuery({ upload_id: 'x' }, ['upload_id'])).toBe('');
  });
});

describe('the merged list cursor', () => {
  it('reads back what it wrote', () => {
    const cursor = { credential: 'api-key-2', token: 'google-token' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('starts at the beginning without a token', () => {
    expect(decodeCursor(undefined)).toEqual({});
  });

  it.each([
    'not base64 json',
    Buffer.from('[1]').toString('base64url'),
    Buffer.from('{"credential":3}').toString('base64url'),
  ])('refuses a token it did not write (%s)', (token) => {
    expect(decodeCursor(token)).toBeUndefined();
  });
});
