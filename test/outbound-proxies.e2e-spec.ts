import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AdminStatus } from '../src/admin/admin-view';
import { FakeGoogle } from './fake-google/fake-google';
import { googleError } from './fake-google/google-errors';
import { HttpConnectProxy, Socks5Proxy } from './support/outbound-proxies';
import { TEST_PASSWORD, startTestProxy } from './support/proxy';
import { ProxyProcess } from './support/proxy-process';
import { writeServiceAccountFile } from './support/service-account-files';
import { waitFor } from './support/wait';

const AUTH = { authorization: `Bearer ${TEST_PASSWORD}` };
/** A name no resolver knows: only the test proxies map it to the fake Google. */
const ONLY_VIA_PROXY = 'fake-google.test';
const PROXY_PASSWORD = 'pr0xy-S3CRET-pw';

const ADA = { email: 'ada@example.com', refreshToken: 'rt-outbound-ada-1', projectId: 'p-ada' };
const BOB = { email: 'bob@example.com', refreshToken: 'rt-outbound-bob-2', projectId: 'p-bob' };
const KEY_SOCKS = 'AIzaOutboundKeyViaSocks00001';
const KEY_DIRECT = 'AIzaOutboundKeyDirect0000002';

function ask(url: string, model = 'gemini-2.5-flash'): Promise<Response> {
  return fetch(`${url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
}

async function pages(url: string): Promise<{ json: AdminStatus; html: string }> {
  const json = (await (
    await fetch(`${url}/admin/credentials`, { headers: AUTH })
  ).json()) as AdminStatus;
  const html = await (
    await fetch(`${url}/admin`, { headers: { ...AUTH, accept: 'text/html' } })
  ).text();
  return { json, html };
}

/** The fake's URLs with its host replaced by a name only the proxies resolve. */
function reachableOnlyViaProxy(fake: FakeGoogle): Record<string, string> {
  const origin = new URL(fake.url);
  const renamed = `${origin.protocol}//${ONLY_VIA_PROXY}:${origin.port}`;
  return Object.fromEntries(
    Object.entries(fake.env()).map(([name, url]) => [name, url.replace(origin.origin, renamed)]),
  );
}

describe('outbound proxies (DESIGN §4, §14)', () => {
  let fake: FakeGoogle;
  const dirs: string[] = [];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addOAuthAccount(ADA);
    fake.addOAuthAccount(BOB);
    fake.addApiKey(KEY_SOCKS);
    fake.addApiKey(KEY_DIRECT);
  });

  afterAll(async () => {
    await fake.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => fake.reset());

  function tempDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'outbound-'));
    dirs.push(dir);
    return dir;
  }

  it('HTTP_PROXY carries every call to Google, the OAuth refresh included, and its password shows nowhere', async () => {
    const httpProxy = await HttpConnectProxy.start({
      login: { user: 'gw', password: PROXY_PASSWORD },
      hosts: { [ONLY_VIA_PROXY]: '127.0.0.1' },
    });
    const proxy = await ProxyProcess.start({
      ...reachableOnlyViaProxy(fake),
      HTTP_PROXY: httpProxy.url,
      DEBUG: 'true',
      CREDENTIALS_JSON_LIST: JSON.stringify([
        {
          client_id: 'client-id',
          client_secret: 'client-secret',
          refresh_token: ADA.refreshToken,
          project_id: ADA.projectId,
          user_email: ADA.email,
        },
      ]),
      GEMINI_API_KEYS: KEY_DIRECT,
    });
    try {
      // Two calls: the rotation serves one on the OAuth account, one on the key.
      for (let i = 0; i < 2; i++) expect((await ask(proxy.url)).status).toBe(200);
      const served = fake.requests.filter((r) => r.action === 'generateContent');
      expect(new Set(served.map((r) => r.credential))).toEqual(new Set([ADA.email, KEY_DIRECT]));
      expect(fake.requests.some((r) => r.action === 'refresh_token')).toBe(true);
      // The fake's name resolves nowhere but in the proxy: every call above went through it.
      expect(httpProxy.carried.length).toBeGreaterThan(0);
      expect(httpProxy.carried.every((t) => t.startsWith(`${ONLY_VIA_PROXY}:`))).toBe(true);
      expect(httpProxy.countSent(`refresh_token=${ADA.refreshToken}`)).toBe(1);
      expect(httpProxy.countSent(`x-goog-api-key: ${KEY_DIRECT}`)).toBe(1);
      expect(httpProxy.refused).toBe(0);

      await waitFor(() => proxy.output.includes('Calls to Google go'), 5000, 'the route-out log');
      expect(proxy.output).toContain(
        `Calls to Google go http via http://127.0.0.1:${httpProxy.port}`,
      );
      const { json, html } = await pages(proxy.url);
      const seen = [proxy.output, JSON.stringify(json), html].join('\n');
      expect(seen).not.toContain(PROXY_PASSWORD);
    } finally {
      await proxy.stop();
      await httpProxy.close();
    }
  });

  it('NO_PROXY sends the calls it names direct', async () => {
    const httpProxy = await HttpConnectProxy.start();
    const proxy = await startTestProxy({
      ...fake.env(),
      HTTP_PROXY: httpProxy.url,
      NO_PROXY: 'localhost,127.0.0.1',
      GEMINI_API_KEYS: KEY_DIRECT,
    });
    try {
      expect((await ask(proxy.url)).status).toBe(200);
      expect(fake.requests.filter((r) => r.action === 'generateContent')).toHaveLength(1);
      expect(httpProxy.carried).toEqual([]);
    } finally {
      await proxy.close();
      await httpProxy.close();
    }
  });

  it("sends a service account's token grant and model calls through the proxy its key file names", async () => {
    const httpProxy = await HttpConnectProxy.start({
      login: { user: 'sa', password: PROXY_PASSWORD },
      hosts: { [ONLY_VIA_PROXY]: '127.0.0.1' },
    });
    const dir = tempDir();
    const key = fake.createServiceAccount({
      email: 'routed@vertex-proj.iam.gserviceaccount.com',
      projectId: 'vertex-proj',
    });
    writeServiceAccountFile(dir, { ...key, proxy: httpProxy.url }, 'routed.json');
    // No shared proxy: the fake's name resolves only through the credential's own.
    const proxy = await startTestProxy({
      ...reachableOnlyViaProxy(fake),
      PERSISTENT_STORAGE_PATH: dir,
    });
    try {
      expect((await ask(proxy.url)).status).toBe(200);
      expect(httpProxy.countSent('grant_type=urn')).toBe(1);
      expect(fake.requests.filter((r) => r.action === 'generateContent')).toHaveLength(1);
      expect(httpProxy.refused).toBe(0);
    } finally {
      await proxy.close();
      await httpProxy.close();
    }
  });

  describe('a credential with its own proxy', () => {
    let socks: Socks5Proxy;
    let httpProxy: HttpConnectProxy;
    let proxy: ProxyProcess;

    beforeAll(async () => {
      socks = await Socks5Proxy.start({
        login: { user: 'sk', password: PROXY_PASSWORD },
        hosts: { [ONLY_VIA_PROXY]: '127.0.0.1' },
      });
      httpProxy = await HttpConnectProxy.start({ hosts: { [ONLY_VIA_PROXY]: '127.0.0.1' } });
      const dir = tempDir();
      // BOB's file names the SOCKS proxy: his token refresh and model calls take it.
      writeFileSync(
        path.join(dir, 'oauth_creds_bob.json'),
        JSON.stringify({
          client_id: 'client-id',
          client_secret: 'client-secret',
          refresh_token: BOB.refreshToken,
          project_id: BOB.projectId,
          user_email: BOB.email,
          proxy: socks.url,
        }),
      );
      proxy = await ProxyProcess.start({
        ...reachableOnlyViaProxy(fake),
        // Everyone else goes through the shared HTTP proxy, so that each call's route is visible.
        HTTP_PROXY: httpProxy.url,
        PERSISTENT_STORAGE_PATH: dir,
        DEBUG: 'true',
        GEMINI_API_KEYS: JSON.stringify([{ key: KEY_SOCKS, proxy: socks.url }, KEY_DIRECT]),
      });
    });

    afterAll(async () => {
      await proxy.stop();
      await socks.close();
      await httpProxy.close();
    });

    it("carries that credential's calls and token refresh, and no other's", async () => {
      for (let i = 0; i < 6; i++) expect((await ask(proxy.url)).status).toBe(200);
      const served = fake.requests.filter((r) => r.action === 'generateContent');
      const by = (c: string) => served.filter((r) => r.credential === c).length;
      expect([by(BOB.email), by(KEY_SOCKS), by(KEY_DIRECT)]).toEqual([2, 2, 2]);

      expect(socks.countSent(`x-goog-api-key: ${KEY_SOCKS}`)).toBe(2);
      expect(socks.countSent(`refresh_token=${BOB.refreshToken}`)).toBe(1);
      expect(socks.countSent(`x-goog-api-key: ${KEY_DIRECT}`)).toBe(0);
      expect(httpProxy.countSent(`x-goog-api-key: ${KEY_DIRECT}`)).toBe(2);
      expect(httpProxy.countSent(`x-goog-api-key: ${KEY_SOCKS}`)).toBe(0);
      expect(httpProxy.countSent(BOB.refreshToken)).toBe(0);
      expect(socks.refused).toBe(0);
    });

    it('shows the proxy on /admin as scheme://host:port, its password nowhere', async () => {
      expect((await ask(proxy.url)).status).toBe(200);
      const { json, html } = await pages(proxy.url);
      const shown = `socks5://127.0.0.1:${socks.port}`;
      const socksKey = json.credentials.find((c) => c.label.endsWith(KEY_SOCKS.slice(-5)));
      expect(socksKey?.proxy).toBe(shown);
      expect(json.credentials.find((c) => c.email === BOB.email)?.proxy).toBe(shown);
      expect(html).toContain(`via proxy ${shown}`);
      await waitFor(() => proxy.output.includes(`Route out: via ${shown}`), 5000, 'the debug log');
      expect([proxy.output, JSON.stringify(json), html].join('\n')).not.toContain(PROXY_PASSWORD);
    });

    it('fails "User location is not supported" over to the next credential, never disabling the key', async () => {
      fake.failNext(
        {
          status: 400,
          body: googleError(
            400,
            'User location is not supported for the API use.',
            undefined,
            'FAILED_PRECONDITION',
          ),
        },
        { credential: KEY_SOCKS, times: 3 },
      );
      for (let i = 0; i < 3; i++) expect((await ask(proxy.url)).status).toBe(200);
      const refused = fake.requests.filter(
        (r) => r.action === 'generateContent' && r.credential === KEY_SOCKS,
      );
      expect(refused.length).toBeGreaterThanOrEqual(1);
      const { json, html } = await pages(proxy.url);
      const key = json.credentials.find((c) => c.label.endsWith(KEY_SOCKS.slice(-5)));
      expect(key?.state).toBe('ok');
      expect(key?.disabled).toBeNull();
      expect(key?.lastError?.reason).toBe('ROUTE_OUT_LOCATION');
      expect(html).toContain('route-out fault');
    });
  });
});
