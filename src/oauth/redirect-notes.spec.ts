import { isLoopbackHost, redirectNotes } from './redirect-notes';

describe('redirectNotes', () => {
  it.each([
    'http://localhost:7860/oauth2callback',
    'http://127.0.0.1:7860/oauth2callback',
    'http://[::1]:7860/oauth2callback',
  ])('has nothing to say about the default client on %s', (redirectUri) => {
    expect(redirectNotes({ usesDefaultClient: true, redirectUri })).toEqual([]);
  });

  it('says the default client cannot return to a public address', () => {
    expect(
      redirectNotes({
        usesDefaultClient: true,
        redirectUri: 'https://proxy.example.com/oauth2callback',
      }),
    ).toEqual([
      {
        kind: 'default-client-needs-loopback',
        redirectUri: 'https://proxy.example.com/oauth2callback',
      },
    ]);
  });

  it('accepts an own Web client on a public https address', () => {
    expect(
      redirectNotes({
        usesDefaultClient: false,
        redirectUri: 'https://proxy.example.com/oauth2callback',
      }),
    ).toEqual([]);
  });

  it('says Google refuses a public plain-http address', () => {
    expect(
      redirectNotes({
        usesDefaultClient: false,
        redirectUri: 'http://203.0.113.5:7860/oauth2callback',
      }),
    ).toMatchObject([{ kind: 'web-client-needs-https' }]);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
    ['example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
