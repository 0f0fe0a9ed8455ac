import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { ADMIN_COOKIE_MAX_AGE_MS } from '../src/auth/admin-cookie';
import { FakeGoogle } from './fake-google/fake-google';
import { permissionDenied, rateLimited } from './fake-google/google-errors';
import {
  AUTH,
  credentialStatus,
  enableAll,
  generate,
  ManualClock,
  poolStatus,
  startPoolProxy,
} from './support/pool-harness';
import { health, RunningProxy, TEST_PASSWORD } from './support/proxy';
import { waitFor } from './support/wait';

const KEY = 'AIzaAdminKeyAAAAAAAAAAAAAAAAAAAAAAAAqwert';
const KEY_ID = 'key...qwert';
const ADA = {
  email: 'ada@example.com',
  refreshToken: '1//rt-admin-ada-SECRET-zyxwv',
  projectId: 'proj-ada',
};
const ADA_ID = `${ADA.email}/${ADA.projectId}`;
const CLIENT_SECRET = 'GOCSPX-admin-client-secret-value';
const FIX_URL = 'https://console.cloud.google.com/gemini-admin/licenses?project=proj-ada';
const DOMAIN_NAME = 'https://proxy.example.com';

/** A URL as Handlebars writes it into an attribute (`&` and `=` as character references). */
const inAttribute = (url: string) => url.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;');

const basic = (password: string, user = 'anyone') =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('pool status API and page', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let adaFile: string;
  const clock = new ManualClock();

  beforeAll(async () => {
    // Frozen unless a test moves it: the seconds a cooldown has left do not depend on load.
    clock.freeze();
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    fake.addOAuthAccount(ADA);
    proxy = await startPoolProxy({ ...fake.env(), GEMINI_API_KEYS: KEY, DOMAIN_NAME }, { clock });
    adaFile = path.join(proxy.credentialsDir, 'oauth_creds_ada_example_com_proj-ada.json');
    writeFileSync(
      adaFile,
      JSON.stringify({
        client_id: 'client-id',
        client_secret: CLIENT_SECRET,
        refresh_token: ADA.refreshToken,
        project_id: ADA.projectId,
        user_email: ADA.email,
      }),
      { mode: 0o600 },
    );
    await waitFor(
      async () => (await health(proxy)).credentials === 2,
      5_000,
      'the credential file to load',
    );
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    await enableAll(proxy);
    fake.reset();
  });

  /** Leaves the API key cooling for gemini-2.5-pro and the OAuth account disabled with a fix link. */
  async function troubledPool(): Promise<void> {
    fake.failNext(rateLimited(90), { credential: KEY });
    fake.failNext(
      permissionDenied('SUBSCRIPTION_REQUIRED', 'Gemini Code Assist license required.', [
        { description: 'Assign a licence', url: FIX_URL },
      ]),
      { credential: ADA.email },
    );
    // One credential comes back in 90 s, so the client is told to retry then.
    const res = await generate(proxy, 'trouble', 'gemini-2.5-pro');
    expect(res.status).toBe(429);
    expect((await poolStatus(proxy)).summary).toEqual({ total: 2, ok: 0, cooling: 1, disabled: 1 });
  }

  describe('password protection', () => {
    it('challenges for Basic auth on /admin so that a browser asks for the password', async () => {
      const res = await fetch(`${proxy.url}/admin`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toMatch(/Password required/);
    });

    it('answers API clients with a JSON 401 and the same challenge', async () => {
      const res = await fetch(`${proxy.url}/admin/credentials`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe(
        'authentication_error',
      );
    });

    it.each([
      ['Basic auth with any user name', `/admin`, { authorization: basic(TEST_PASSWORD) }],
      ['the ?key= query parameter', `/admin/credentials?key=${TEST_PASSWORD}`, {}],
      ['a Bearer token', `/admin/credentials`, AUTH],
    ])('accepts %s', async (_how, url, headers) => {
      expect((await fetch(`${proxy.url}${url}`, { headers })).status).toBe(200);
    });

    it('refuses a wrong Basic password', async () => {
      const res = await fetch(`${proxy.url}/admin`, { headers: { authorization: basic('wrong') } });
      expect(res.status).toBe(401);
    });
  });

  describe('signing in with ?key=', () => {
    it('trades the password for an HttpOnly SameSite=Strict cookie and a 303 to the bare address', async () => {
      const res = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^gemini_proxy_admin=[^;]+;/);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Strict/i);
      expect(cookie).toMatch(/; Path=\/admin(;|$)/);
      expect(cookie).toMatch(/; Max-Age=43200(;|$)/);
      expect(cookie).not.toMatch(/; Secure/i);
      expect(cookie).not.toContain(TEST_PASSWORD);
      expect(await res.text()).not.toContain(TEST_PASSWORD);

      const page = await fetch(`${proxy.url}/admin`, {
        headers: { cookie: cookie.split(';')[0] },
      });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Credential pool');
      expect(html).not.toContain(TEST_PASSWORD);
      expect(html).not.toMatch(/[?&]key=/);
    });

    it('keeps the confirmation of a re-enable when it drops the key', async () => {
      const res = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}&enabled=${KEY_ID}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin?enabled=${encodeURIComponent(KEY_ID)}`);
    });

    it('marks the cookie Secure when the request came over https (through a trusted proxy)', async () => {
      const res = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, {
        redirect: 'manual',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/i);
    });

    it('sets no cookie for a wrong key, even when Basic auth let the request in', async () => {
      const res = await fetch(`${proxy.url}/admin?key=wrong-password`, {
        redirect: 'manual',
        headers: { authorization: basic(TEST_PASSWORD) },
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin');
      expect(res.headers.get('set-cookie')).toBeNull();
    });

    it('accepts the cookie on /admin routes only', async () => {
      const signIn = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, { redirect: 'manual' });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      const withCookie = (route: string) => fetch(`${proxy.url}${route}`, { headers: { cookie } });
      expect((await withCookie('/admin/credentials')).status).toBe(200);
      expect((await withCookie('/v1/models')).status).toBe(401);
      expect((await withCookie('/metrics')).status).toBe(401);
      const forged = await fetch(`${proxy.url}/admin/credentials`, {
        headers: { cookie: `gemini_proxy_admin=${TEST_PASSWORD}` },
      });
      expect(forged.status).toBe(401);
    });
  });

  describe('the sign-in cookie’s lifetime', () => {
    const signIn = async () => {
      const res = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, { redirect: 'manual' });
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    const openPage = (cookie: string) =>
      fetch(`${proxy.url}/admin`, { headers: { cookie, accept: 'text/html' } });

    it('is a new value at each sign-in, not one fixed per password', async () => {
      const first = await signIn();
      clock.advance(60_000);
      try {
        const second = await signIn();
        expect(second).not.toBe(first);
        expect((await openPage(first)).status).toBe(200);
        expect((await openPage(second)).status).toBe(200);
      } finally {
        clock.advance(-60_000);
      }
    });

    it('stops opening /admin once its 12 hours are over, and the page asks for the password again', async () => {
      const cookie = await signIn();
      const twelveHours = ADMIN_COOKIE_MAX_AGE_MS;
      clock.advance(twelveHours - 60_000);
      try {
        expect((await openPage(cookie)).status).toBe(200);
        clock.advance(60_000);
        const expired = await openPage(cookie);
        expect(expired.status).toBe(401);
        expect(expired.headers.get('www-authenticate')).toMatch(/^Basic /);
        expect(await expired.text()).toMatch(/Password required/);
      } finally {
        clock.advance(-twelveHours);
      }
    });

    it('refuses a cookie whose expiry was pushed back', async () => {
      const [name, value] = (await signIn()).split('=');
      const [expiry, signature] = value.split('.');
      const forged = `${name}=${Number(expiry) + 365 * 86_400}.${signature}`;
      expect((await openPage(forged)).status).toBe(401);
      expect(
        (await fetch(`${proxy.url}/admin/credentials`, { headers: { cookie: forged } })).status,
      ).toBe(401);
    });
  });

  describe('GET /admin/credentials', () => {
    it('lists every credential by a secret-free id with kind, project, state and counters', async () => {
      expect((await generate(proxy, 'one')).status).toBe(200);
      expect((await generate(proxy, 'two')).status).toBe(200);
      const status = await poolStatus(proxy);
      expect(status.credentials.map((c) => c.id).sort()).toEqual([ADA_ID, KEY_ID].sort());
      expect(status.credentials.find((c) => c.id === ADA_ID)).toMatchObject({
        kind: 'oauth',
        email: ADA.email,
        project: ADA.projectId,
        file: path.basename(adaFile),
        state: 'ok',
        cooldowns: [],
        disabled: null,
      });
      const key = status.credentials.find((c) => c.id === KEY_ID)!;
      expect(key).toMatchObject({
        kind: 'api-key',
        label: 'api-key ...qwert',
        project: null,
        state: 'ok',
      });
      expect(key.requests).toBeGreaterThanOrEqual(1);
      expect(key.successes).toBe(key.requests);
      expect(Date.parse(key.lastUsedAt!)).toBeGreaterThan(0);
    });

    it('never shows a secret: no API key, refresh or access token, client secret or password', async () => {
      await troubledPool();
      await waitFor(
        () => 'access_token' in JSON.parse(readFileSync(adaFile, 'utf8')),
        5_000,
        'the token write-back',
      );
      const accessToken = (JSON.parse(readFileSync(adaFile, 'utf8')) as { access_token: string })
        .access_token;
      const json = await (await fetch(`${proxy.url}/admin/credentials`, { headers: AUTH })).text();
      const page = await (
        await fetch(`${proxy.url}/admin`, { headers: { authorization: basic(TEST_PASSWORD) } })
      ).text();
      for (const secret of [KEY, ADA.refreshToken, accessToken, CLIENT_SECRET, TEST_PASSWORD]) {
        expect(json).not.toContain(secret);
        expect(page).not.toContain(secret);
      }
    });

    it('shows cooling models with time left and disabled credentials with Google’s reason and fix link', async () => {
      await troubledPool();
      const status = await poolStatus(proxy);
      expect(status.credentials.find((c) => c.id === KEY_ID)).toMatchObject({
        state: 'cooling',
        cooldowns: [
          { model: 'gemini-2.5-pro', reason: 'RATE_LIMIT_EXCEEDED', remainingSeconds: 90 },
        ],
        lastError: { status: 429, reason: 'RATE_LIMIT_EXCEEDED' },
      });
      expect(status.credentials.find((c) => c.id === ADA_ID)).toMatchObject({
        state: 'disabled',
        disabled: {
          reason: 'SUBSCRIPTION_REQUIRED',
          message: 'Gemini Code Assist license required.',
          fixUrl: FIX_URL,
        },
      });
    });
  });

  describe('re-enabling', () => {
    it('re-enables a disabled credential and clears cooldowns through the API', async () => {
      await troubledPool();
      for (const id of [ADA_ID, KEY_ID]) {
        const res = await fetch(`${proxy.url}/admin/credentials/${encodeURIComponent(id)}/enable`, {
          method: 'POST',
          headers: AUTH,
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ id, state: 'ok', disabled: null, cooldowns: [] });
      }
      expect((await generate(proxy, 'back', 'gemini-2.5-pro')).status).toBe(200);
    });

    it('answers 404 for an unknown credential', async () => {
      const res = await fetch(`${proxy.url}/admin/credentials/nobody%40example.com/enable`, {
        method: 'POST',
        headers: AUTH,
      });
      expect(res.status).toBe(404);
    });

    /** The page's Re-enable form, as a browser signed in with the cookie posts it. */
    async function postForm(headers: Record<string, string>): Promise<Response> {
      const signIn = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, { redirect: 'manual' });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      return fetch(`${proxy.url}/admin/credentials/${encodeURIComponent(ADA_ID)}/enable`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
      });
    }

    it('sends the page’s form, posted from DOMAIN_NAME’s origin, back to the page', async () => {
      await troubledPool();
      const res = await postForm({ origin: DOMAIN_NAME });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin?enabled=${encodeURIComponent(ADA_ID)}`);
      expect((await credentialStatus(proxy, ADA_ID)).state).toBe('ok');
    });

    it('accepts the origin a trusted reverse proxy forwards (X-Forwarded-Host and -Proto)', async () => {
      await troubledPool();
      const res = await postForm({
        origin: 'https://admin.internal.example:8443',
        'x-forwarded-host': 'admin.internal.example:8443',
        'x-forwarded-proto': 'https',
      });
      expect(res.status).toBe(303);
      expect((await credentialStatus(proxy, ADA_ID)).state).toBe('ok');
    });

    it.each([
      ['another site', { origin: 'https://evil.example' }],
      ['Origin: null (a sandboxed frame or data: page)', { origin: 'null' }],
      ['DOMAIN_NAME’s host over another scheme', { origin: 'http://proxy.example.com' }],
      ['a cross-site fetch without Origin', { 'sec-fetch-site': 'cross-site' }],
    ])('refuses a form posted from %s', async (_from, headers) => {
      await troubledPool();
      const res = await postForm(headers);
      expect(res.status).toBe(403);
      expect((await credentialStatus(proxy, ADA_ID)).state).toBe('disabled');
    });

    it('refuses a page that reached the proxy under another name (DNS rebinding)', async () => {
      await troubledPool();
      const signIn = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, { redirect: 'manual' });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      const port = new URL(proxy.url).port;
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${proxy.url}/admin/credentials/${encodeURIComponent(ADA_ID)}/enable`,
          {
            method: 'POST',
            headers: {
              host: `rebound.example:${port}`,
              origin: `http://rebound.example:${port}`,
              cookie,
              accept: 'text/html',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(403);
      expect((await credentialStatus(proxy, ADA_ID)).state).toBe('disabled');
    });

    it('re-enables an account by itself when its credential file changes', async () => {
      await troubledPool();
      const saved = JSON.parse(readFileSync(adaFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(adaFile, JSON.stringify({ ...saved, note: 'licence assigned' }), {
        mode: 0o600,
      });
      await waitFor(
        async () => (await credentialStatus(proxy, ADA_ID)).state === 'ok',
        5_000,
        're-enable on reload',
      );
    });
  });

  describe('GET /admin', () => {
    it('renders every credential with its state, the reason, a clickable fix link and an enable form', async () => {
      await troubledPool();
      const res = await fetch(`${proxy.url}/admin`, {
        headers: { authorization: basic(TEST_PASSWORD) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      // Same-origin only: the page's own forms keep their Origin, Google's fix links learn nothing.
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      const page = await res.text();
      expect(page).toContain('ada@example.com');
      expect(page).toContain('api-key ...qwert');
      expect(page).toContain('SUBSCRIPTION_REQUIRED');
      expect(page).toContain(`href="${inAttribute(FIX_URL)}"`);
      expect(page).toMatch(/gemini-2\.5-pro<\/code>\s*<span class="left">1 min 30 s left/);
      expect(page).toContain(`action="/admin/credentials/${encodeURIComponent(ADA_ID)}/enable"`);
    });

    it('loads nothing from elsewhere: no scripts, stylesheets, images or frames', async () => {
      await troubledPool();
      const page = await (await fetch(`${proxy.url}/admin`, { headers: AUTH })).text();
      expect(page).not.toMatch(/<script|<link|<img|<iframe|\bsrc=/i);
      const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) =>
        m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
      );
      expect(hrefs.filter((h) => !h.startsWith('/'))).toEqual([FIX_URL]);
    });

    it('says how to add credentials when the pool is empty', async () => {
      const empty = await startPoolProxy({ ...fake.env() });
      try {
        const page = await (await fetch(`${empty.url}/admin`, { headers: AUTH })).text();
        expect(page).toMatch(/No credentials are loaded/);
      } finally {
        await empty.close();
      }
    });
  });

  describe('unknown routes', () => {
    it.each(['/nope', '/admin/nope', '/v1beta/nope'])(
      'answers %s?key=… with a 404 that does not repeat the query',
      async (route) => {
        const res = await fetch(`${proxy.url}${route}?key=secret-in-query&x=1`, {
          headers: AUTH,
        });
        expect(res.status).toBe(404);
        const body = await res.text();
        expect(body).toContain(route);
        expect(body).not.toContain('secret-in-query');
      },
    );
  });
});
