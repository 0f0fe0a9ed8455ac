import { isSameOrigin, OriginFacts, originOf } from './same-origin';

const PUBLIC = 'https://proxy.example.com';

function facts(over: Partial<OriginFacts>): OriginFacts {
  return {
    publicOrigin: PUBLIC,
    requestOrigin: 'http://10.0.0.5:7860',
    forwardedByTrustedProxy: false,
    ...over,
  };
}

describe('isSameOrigin', () => {
  it.each<[string, Partial<OriginFacts>]>([
    ['a client that sends no browser headers (curl)', {}],
    ['a browser navigation without Origin', { fetchSite: 'same-origin' }],
    ['DOMAIN_NAME’s origin', { origin: PUBLIC }],
    [
      'the host a trusted proxy forwards',
      {
        origin: 'https://admin.lan:8443',
        requestOrigin: 'https://admin.lan:8443',
        forwardedByTrustedProxy: true,
      },
    ],
    ['the page’s own IP address', { origin: 'http://10.0.0.5:7860' }],
    [
      'the page’s own IPv6 address',
      { origin: 'http://[::1]:7860', requestOrigin: 'http://[::1]:7860' },
    ],
    ['localhost', { origin: 'http://localhost:7860', requestOrigin: 'http://localhost:7860' }],
  ])('accepts %s', (_name, over) => {
    expect(isSameOrigin(facts(over))).toBe(true);
  });

  it.each<[string, Partial<OriginFacts>]>([
    ['Origin: null', { origin: 'null' }],
    ['another site', { origin: 'https://evil.example' }],
    ['DOMAIN_NAME’s host over http', { origin: 'http://proxy.example.com' }],
    ['DOMAIN_NAME’s host on another port', { origin: 'https://proxy.example.com:8443' }],
    ['a cross-site request without Origin', { fetchSite: 'cross-site' }],
    ['a same-site (sibling subdomain) request without Origin', { fetchSite: 'same-site' }],
    [
      'a page that reached the proxy under its own name (DNS rebinding)',
      { origin: 'http://rebound.example:7860', requestOrigin: 'http://rebound.example:7860' },
    ],
    ['the IP address on another scheme', { origin: 'https://10.0.0.5:7860' }],
  ])('refuses %s', (_name, over) => {
    expect(isSameOrigin(facts(over))).toBe(false);
  });
});

describe('originOf', () => {
  it.each([
    ['http://localhost:7860', 'http://localhost:7860'],
    ['https://Proxy.Example.com/', 'https://proxy.example.com'],
    ['https://proxy.example.com:443/base', 'https://proxy.example.com'],
  ])('reads %s as %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });
});
