import { passwordMatches, presentedPasswords } from './password';

const basic = (user: string, pw: string) =>
  `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('presentedPasswords', () => {
  it.each([
    ['a Bearer token', { authorization: 'Bearer s3cret' }, {}],
    ['a lower-case bearer scheme', { authorization: 'bearer s3cret' }, {}],
    ['Basic auth with any user name', { authorization: basic('anyone', 's3cret') }, {}],
    ['Basic auth with an empty user name', { authorization: basic('', 's3cret') }, {}],
    ['an x-goog-api-key header', { 'x-goog-api-key': 's3cret' }, {}],
    ['an x-api-key header', { 'x-api-key': 's3cret' }, {}],
    ['a key query parameter', {}, { key: 's3cret' }],
  ])('finds the password in %s', (_name, headers, query) => {
    expect(presentedPasswords({ headers, query })).toContain('s3cret');
  });

  it('finds nothing when no credential is sent', () => {
    expect(presentedPasswords({ headers: {}, query: {} })).toEqual([]);
  });

  it('ignores unknown authorization schemes', () => {
    expect(presentedPasswords({ headers: { authorization: 'Digest abc' }, query: {} })).toEqual([]);
  });
});

describe('passwordMatches', () => {
  it('accepts the same password', () => {
    expect(passwordMatches('s3cret', 's3cret')).toBe(true);
  });

  it.each(['s3cre', 's3crett', '', 'S3CRET'])('rejects %j', (candidate) => {
    expect(passwordMatches(candidate, 's3cret')).toBe(false);
  });
});
