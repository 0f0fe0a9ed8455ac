import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpMediaFetcher, MediaFetcherOptions } from './media-fetcher';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const ROUTES: Record<string, Handler> = {
  '/cat.png': (_, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  '/doc.pdf': (_, res) =>
    res.writeHead(200, { 'content-type': 'application/pdf; qs=0.001' }).end('%PDF-1.7'),
  '/page.html': (_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'),
  '/missing.png': (_, res) => res.writeHead(404).end(),
  '/moved': (_, res) => res.writeHead(302, { location: '/cat.png' }).end(),
  '/to-file': (_, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/loop': (_, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/big-declared.png': (_, res) =>
    res
      .writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' })
      .end(Buffer.alloc(5000)),
  '/big-chunked.png': (_, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
    res.end();
  },
  '/slow.png': (_, res) =>
    setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG), 1000),
};

describe('HttpMediaFetcher', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) =>
      (ROUTES[req.url ?? ''] ?? ROUTES['/missing.png'])(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // The test server is on loopback, so the happy paths allow private addresses.
  const fetcher = (patch: Partial<MediaFetcherOptions> = {}) =>
    new HttpMediaFetcher({ maxBytes: 4096, timeoutMs: 2000, allowPrivate: true, ...patch });

  it('stops when the caller’s signal fires, saying the request was cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(
      fetcher().fetchMedia(`${base}/slow.png`, { signal: controller.signal }),
    ).rejects.toThrow('the request was cancelled');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports every chunk to onBytes, and stops when onBytes throws', async () => {
    const seen: number[] = [];
    const onBytes = (n: number) => {
      seen.push(n);
      if (seen.reduce((a, b) => a + b) > 2500) throw new Error('over the request total');
    };
    await expect(
      fetcher({ maxBytes: 100_000 }).fetchMedia(`${base}/big-chunked.png`, { onBytes }),
    ).rejects.toThrow('over the request total');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('returns the body as base64 with the content type', async () => {
    expect(await fetcher().fetchMedia(`${base}/cat.png`)).toEqual({
      mimeType: 'image/png',
      data: PNG.toString('base64'),
    });
  });

  it('accepts a PDF and drops content-type parameters', async () => {
    expect((await fetcher().fetchMedia(`${base}/doc.pdf`)).mimeType).toBe('application/pdf');
  });

  it('follows a redirect', async () => {
    expect((await fetcher().fetchMedia(`${base}/moved`)).mimeType).toBe('image/png');
  });

  it.each([
    [
      'a content type that is not media',
      '/page.html',
      'content type text/html is not an image, audio, video or PDF',
    ],
    ['an HTTP error', '/missing.png', 'the server answered HTTP 404'],
    ['a declared size over the cap', '/big-declared.png', 'larger than the 4096-byte limit'],
    ['a streamed size over the cap', '/big-chunked.png', 'larger than the 4096-byte limit'],
    ['a redirect to a file URL', '/to-file', 'file: URLs are not fetched; use http(s)'],
    ['a redirect loop', '/loop', 'more than 5 redirects'],
  ])('refuses %s', async (_, path, reason) => {
    await expect(fetcher().fetchMedia(`${base}${path}`)).rejects.toThrow(reason);
  });

  it('gives up when the server is slower than the time limit', async () => {
    await expect(fetcher({ timeoutMs: 200 }).fetchMedia(`${base}/slow.png`)).rejects.toThrow(
      'no answer within 200 ms',
    );
  });

  it('refuses a loopback address unless private addresses are allowed', async () => {
    await expect(fetcher({ allowPrivate: false }).fetchMedia(`${base}/cat.png`)).rejects.toThrow(
      '127.0.0.1 is a private or local address',
    );
  });

  it('refuses a host when any of its addresses is private', async () => {
    const lookup = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(
      fetcher({ allowPrivate: false, lookup }).fetchMedia('https://images.example.com/a.png'),
    ).rejects.toThrow(
      'images.example.com resolves to 10.0.0.7, which is a private or local address',
    );
  });

  it('connects to the address it checked without resolving the host again', async () => {
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const port = (server.address() as AddressInfo).port;
    await fetcher({ lookup }).fetchMedia(`http://media.test:${port}/cat.png`);
    expect(lookups).toBe(1);
  });

  it('says so when a host does not resolve', async () => {
    const lookup = () => Promise.reject(new Error('getaddrinfo ENOTFOUND'));
    await expect(fetcher({ lookup }).fetchMedia('https://nowhere.invalid/a.png')).rejects.toThrow(
      'nowhere.invalid does not resolve',
    );
  });

  it.each(['ftp://example.com/a.png', 'not a url'])('refuses %s', async (url) => {
    await expect(fetcher().fetchMedia(url)).rejects.toThrow(/URL/);
  });
});
