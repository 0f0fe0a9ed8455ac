import { EnvHttpProxyAgent, ProxyAgent, Socks5ProxyAgent } from 'undici';
import { shownProxy } from './proxy-url';
import { RouteOut } from './route-out';

describe('shownProxy', () => {
  it.each([
    ['http://user:hunter2@proxy.example:3128', 'http://proxy.example:3128'],
    ['socks5://u:p%40ss@10.0.0.5:1080', 'socks5://10.0.0.5:1080'],
    ['socks5://10.0.0.5', 'socks5://10.0.0.5:1080'],
    ['https://user:pw@proxy.example', 'https://proxy.example:443'],
    ['not a url user:hunter2', '(an unreadable proxy URL)'],
  ])('shows %s as %s, never its login', (url, shown) => {
    expect(shownProxy(url)).toBe(shown);
  });
});

describe('RouteOut', () => {
  const routes: RouteOut[] = [];
  const make = (settings = {}) => {
    const route = new RouteOut(settings);
    routes.push(route);
    return route;
  };

  afterEach(async () => {
    await Promise.all(routes.splice(0).map((r) => r.close()));
  });

  it('keeps one dispatcher per distinct credential proxy, and the shared one for the others', () => {
    const route = make();
    const socks = route.dispatcher('socks5://u:p@127.0.0.1:1080');
    expect(socks).toBeInstanceOf(Socks5ProxyAgent);
    expect(route.dispatcher('socks5://u:p@127.0.0.1:1080')).toBe(socks);
    const http = route.dispatcher('http://127.0.0.1:3128');
    expect(http).toBeInstanceOf(ProxyAgent);
    expect(http).not.toBe(socks);
    expect(route.dispatcher(undefined)).toBe(route.dispatcher(''));
    expect(route.dispatcher(undefined)).not.toBeInstanceOf(EnvHttpProxyAgent);
  });

  it('takes HTTPS_PROXY/HTTP_PROXY for the shared route, and describes it without the password', () => {
    const route = make({
      httpsProxy: 'http://gw:hunter2@proxy.example:3128',
      noProxy: 'localhost',
    });
    expect(route.dispatcher()).toBeInstanceOf(EnvHttpProxyAgent);
    expect(route.describe()).toBe('https via http://proxy.example:3128, except localhost');
    expect(make().describe()).toBe('direct');
  });
});
