import { publicBase } from './public-base';

describe('publicBase', () => {
  const fallback = 'http://localhost:7860';

  it.each<[string, Record<string, string>, string, string]>([
    ['the host the client used', { host: '127.0.0.1:7860' }, 'http', 'http://127.0.0.1:7860'],
    [
      'the scheme and host a reverse proxy forwards',
      { host: 'internal:7860', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.com' },
      'http',
      'https://gw.example.com',
    ],
    [
      'the first of several forwarded values',
      { host: 'h', 'x-forwarded-proto': 'https, http' },
      'http',
      'https://h',
    ],
    ['DOMAIN_NAME when the host is missing', {}, 'http', fallback],
    ['DOMAIN_NAME when the host is not a host', { host: 'evil.example/path?x' }, 'http', fallback],
  ])('answers %s', (_case, headers, protocol, expected) => {
    expect(publicBase(headers, protocol, fallback)).toBe(expected);
  });
});
