import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONNECTION_LIMITS } from '../src/http/connection-limits';
import { FakeGoogle } from './fake-google/fake-google';
import { RunningGenerator, startTestGenerator } from './generator/harness';
import {
  consent,
  followCallback,
  loginAs,
  pasteCallback,
  pressLogin,
  textOf,
} from './generator/login-flow';

const DEFAULT_SECRET = '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';

function savedFiles(gen: RunningGenerator): string[] {
  try {
    return readdirSync(gen.credentialsDir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
}

function readSaved(gen: RunningGenerator, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(gen.credentialsDir, name), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('credential generator (HTTP, against the fake Google)', () => {
  let fake: FakeGoogle;
  let gen: RunningGenerator;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    gen = await startTestGenerator({ fake, polling: { pollIntervalMs: 5, maxPolls: 5 } });
  });

  afterAll(async () => {
    await gen?.close();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  describe('the form', () => {
    it('offers the optional project, the Login button and the paste-the-address form', async () => {
      const res = await fetch(`${gen.url}/`);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(html).toContain('name="project_id"');
      expect(html).toMatch(/<button[^>]*>Login with Google<\/button>/);
      expect(html).toContain('action="paste-callback"');
      expect(html).toContain('http://localhost:7860/oauth2callback');
      expect(html).not.toContain('id="default-client-note"');
    });

    it('loads nothing from elsewhere and is sized for phones', async () => {
      const html = await (await fetch(`${gen.url}/`)).text();
      expect(html).toContain('name="viewport"');
      expect(html).not.toMatch(/<(script|link|img)\b/);
      expect(html).not.toMatch(/(src|href)="https?:/);
    });

    it('sends headers that keep the login code out of caches, referrers and frames', async () => {
      const res = await fetch(`${gen.url}/`);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    });

    it('needs no proxy password', async () => {
      const res = await fetch(`${gen.url}/`, { headers: {} });
      expect(res.status).toBe(200);
    });

    it('limits slow headers and open connections as the proxy does', () => {
      const server = gen.app.getHttpServer() as Server;
      expect(server.headersTimeout).toBe(CONNECTION_LIMITS.headersTimeoutMs);
      expect(server.requestTimeout).toBe(CONNECTION_LIMITS.requestTimeoutMs);
      expect(server.maxConnections).toBe(CONNECTION_LIMITS.maxConnections);
    });

    it('answers an unknown address with an HTML 404 page', async () => {
      const res = await fetch(`${gen.url}/v1/models`);
      expect(res.status).toBe(404);
      expect(textOf(await res.text())).toContain('Page not found');
    });
  });

  describe('POST /login', () => {
    it('redirects to the consent page with offline access, forced consent, scopes, state and S256 PKCE', async () => {
      const { consentUrl } = await pressLogin(gen);
      const q = Object.fromEntries(consentUrl.searchParams);
      expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(fake.env().GOOGLE_OAUTH_AUTH_URL);
      expect(q).toMatchObject({
        access_type: 'offline',
        prompt: 'consent',
        response_type: 'code',
        code_challenge_method: 'S256',
        redirect_uri: 'http://localhost:7860/oauth2callback',
      });
      expect(q.scope.split(' ')).toEqual(
        expect.arrayContaining([
          'https://www.googleapis.com/auth/cloud-platform',
          'https://www.googleapis.com/auth/userinfo.email',
          'https://www.googleapis.com/auth/userinfo.profile',
          'openid',
        ]),
      );
      expect(q.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('binds the login to the browser with an HttpOnly SameSite=Lax cookie', async () => {
      const { setCookie } = await pressLogin(gen);
      expect(setCookie).toMatch(/^gen_creds_browser=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
    });

    it('keeps the same browser id for a second login from the same browser', async () => {
      const first = await pressLogin(gen);
      const second = await pressLogin(gen, '', first.session);
      expect(second.session.cookie).toBe(first.session.cookie);
    });

    it('answers a malformed project id with an error page instead of going to Google', async () => {
      const res = await fetch(`${gen.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'project_id=%3Cb%3EBad%20Id%3C%2Fb%3E',
      });
      const html = await res.text();
      expect(res.status).toBe(400);
      expect(textOf(html)).toContain('That is not a Google Cloud project id');
      expect(html).toContain('&lt;b&gt;Bad Id&lt;/b&gt;');
    });
  });

  describe('an account that is already onboarded', () => {
    it('saves oauth_creds_{email}_{project}.json with the DESIGN §6 fields, mode 0600', async () => {
      fake.addOAuthAccount({
        email: 'ann@example.com',
        refreshToken: '1//rt-ann',
        projectId: 'ann-proj',
      });
      const page = await loginAs(gen, fake, 'ann@example.com');
      expect(page.status).toBe(200);
      const name = 'oauth_creds_ann_example_com_ann-proj.json';
      const file = path.join(gen.credentialsDir, name);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readSaved(gen, name)).toMatchObject({
        client_id: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
        client_secret: DEFAULT_SECRET,
        refresh_token: '1//rt-ann',
        token_uri: fake.env().GOOGLE_OAUTH_TOKEN_URL,
        project_id: 'ann-proj',
        user_email: 'ann@example.com',
        access_token: expect.stringMatching(/^ya29\./),
        expiry_date: expect.any(Number),
      });
    });

    it('names the file, the account and the count on the success page', async () => {
      fake.addOAuthAccount({
        email: 'bob@example.com',
        refreshToken: '1//rt-bob',
        projectId: 'bob-proj',
      });
      const before = savedFiles(gen).length;
      const text = textOf((await loginAs(gen, fake, 'bob@example.com')).html);
      expect(text).toContain('Account added');
      expect(text).toContain('bob@example.com');
      expect(text).toContain('oauth_creds_bob_example_com_bob-proj.json');
      expect(text).toContain(`The folder now holds ${before + 1} credential files`);
      expect(text).toContain('Add another account');
      expect(text).toContain('npm start');
    });

    it('discovers the project with loadCodeAssist and does not onboard again', async () => {
      fake.addOAuthAccount({
        email: 'cid@example.com',
        refreshToken: '1//rt-cid',
        projectId: 'cid-proj',
      });
      await loginAs(gen, fake, 'cid@example.com');
      const calls = fake.requests.filter((r) => r.api === 'code-assist').map((r) => r.action);
      expect(calls).toEqual(['loadCodeAssist']);
    });

    it('replaces its own file when the account logs in again', async () => {
      fake.addOAuthAccount({
        email: 'dee@example.com',
        refreshToken: '1//rt-dee',
        projectId: 'dee-proj',
      });
      await loginAs(gen, fake, 'dee@example.com');
      const count = savedFiles(gen).length;
      const again = textOf((await loginAs(gen, fake, 'dee@example.com')).html);
      expect(savedFiles(gen)).toHaveLength(count);
      expect(again).toContain('replaced the earlier file');
    });

    it('keeps no secret on the page', async () => {
      fake.addOAuthAccount({
        email: 'eve@example.com',
        refreshToken: '1//rt-eve-secret',
        projectId: 'eve-proj',
      });
      const start = await pressLogin(gen);
      const callback = await consent(fake, start.consentUrl, { email: 'eve@example.com' });
      const { html } = await followCallback(gen, callback, start.session);
      const saved = readSaved(gen, 'oauth_creds_eve_example_com_eve-proj.json');
      expect(html).not.toContain('1//rt-eve-secret');
      expect(html).not.toContain(String(saved.access_token));
      expect(html).not.toContain(DEFAULT_SECRET);
      expect(html).not.toContain(callback.searchParams.get('code')!);
    });
  });

  describe('discovery and onboarding', () => {
    it('onboards a free-tier account without a project and polls the operation', async () => {
      fake.addOAuthAccount({
        email: 'fay@example.com',
        refreshToken: '1//rt-fay',
        setup: { kind: 'free-tier', pollsUntilDone: 3 },
      });
      const page = await loginAs(gen, fake, 'fay@example.com');
      expect(page.status).toBe(200);
      const onboard = fake.requests.find((r) => r.action === 'onboardUser')!;
      expect(onboard.body).toMatchObject({ tierId: 'free-tier' });
      expect(onboard.body).not.toHaveProperty('cloudaicompanionProject');
      expect(fake.requests.filter((r) => r.action === 'getOperation')).toHaveLength(3);
      const [name] = savedFiles(gen).filter((n) => n.startsWith('oauth_creds_fay_'));
      expect(name).toMatch(/^oauth_creds_fay_example_com_gen-lang-client-\d+\.json$/);
      expect(readSaved(gen, name).project_id).toMatch(/^gen-lang-client-\d+$/);
      expect(textOf(page.html)).toContain('free-tier (set up just now)');
    });

    it('shows an error page and saves nothing when onboarding never finishes', async () => {
      fake.addOAuthAccount({
        email: 'gus@example.com',
        refreshToken: '1//rt-gus',
        setup: { kind: 'free-tier', pollsUntilDone: 50 },
      });
      const page = await loginAs(gen, fake, 'gus@example.com');
      expect(page.status).toBe(504);
      expect(textOf(page.html)).toContain('Google is still setting up this account');
      expect(fake.requests.filter((r) => r.action === 'getOperation')).toHaveLength(5);
      expect(savedFiles(gen).filter((n) => n.includes('gus_'))).toEqual([]);
    });

    it('asks for a project when a standard-tier account has none, and saves nothing', async () => {
      fake.addOAuthAccount({
        email: 'hal@example.com',
        refreshToken: '1//rt-hal',
        setup: { kind: 'standard-tier' },
      });
      const page = await loginAs(gen, fake, 'hal@example.com');
      const text = textOf(page.html);
      expect(page.status).toBe(400);
      expect(text).toContain('This account needs a Google Cloud project');
      expect(text).toContain('hal@example.com');
      expect(text).toContain('GOOGLE_CLOUD_PROJECT');
      expect(text).toContain('Nothing was saved');
      expect(savedFiles(gen).filter((n) => n.includes('hal_'))).toEqual([]);
    });

    it('onboards a standard-tier account into the typed project', async () => {
      fake.addOAuthAccount({
        email: 'ian@example.com',
        refreshToken: '1//rt-ian',
        projectId: 'ian-licensed',
        setup: { kind: 'standard-tier' },
      });
      const page = await loginAs(gen, fake, 'ian@example.com', 'ian-licensed');
      expect(page.status).toBe(200);
      const onboard = fake.requests.find((r) => r.action === 'onboardUser')!;
      expect(onboard.body).toMatchObject({
        tierId: 'standard-tier',
        cloudaicompanionProject: 'ian-licensed',
      });
      expect(readSaved(gen, 'oauth_creds_ian_example_com_ian-licensed.json').project_id).toBe(
        'ian-licensed',
      );
    });

    it("shows Google's refusal when the typed project is not the account's", async () => {
      fake.addOAuthAccount({
        email: 'jo@example.com',
        refreshToken: '1//rt-jo',
        projectId: 'jo-licensed',
        setup: { kind: 'standard-tier' },
      });
      const page = await loginAs(gen, fake, 'jo@example.com', 'someone-elses');
      const text = textOf(page.html);
      expect(page.status).toBe(502);
      expect(text).toContain('Google refused the Code Assist setup');
      expect(text).toContain('someone-elses');
      expect(savedFiles(gen).filter((n) => n.includes('jo_'))).toEqual([]);
    });

    it("shows an UNSUPPORTED_CLIENT account's reason and the ways out", async () => {
      fake.addOAuthAccount({
        email: 'kim@gmail.com',
        refreshToken: '1//rt-kim',
        setup: {
          kind: 'ineligible',
          reasonCode: 'UNSUPPORTED_CLIENT',
          reasonMessage: 'Gemini Code Assist for individuals is no longer available in Gemini CLI.',
        },
      });
      const page = await loginAs(gen, fake, 'kim@gmail.com');
      const text = textOf(page.html);
      expect(page.status).toBe(403);
      expect(text).toContain('Google does not let this account use Code Assist');
      expect(text).toContain('UNSUPPORTED_CLIENT');
      expect(text).toContain(
        'Gemini Code Assist for individuals is no longer available in Gemini CLI.',
      );
      expect(text).toContain('Standard or Enterprise');
      expect(text).toContain('GEMINI_API_KEYS');
      expect(page.html).toContain('href="https://aistudio.google.com/apikey"');
      expect(savedFiles(gen).filter((n) => n.includes('kim_'))).toEqual([]);
    });

    it("links a VALIDATION_REQUIRED account to Google's verification page", async () => {
      fake.addOAuthAccount({
        email: 'lee@example.com',
        refreshToken: '1//rt-lee',
        setup: {
          kind: 'ineligible',
          reasonCode: 'VALIDATION_REQUIRED',
          reasonMessage: 'Verify your account to continue.',
          validationUrl: 'https://accounts.google.com/signin/continue?sarp=1&scc=1',
        },
      });
      const page = await loginAs(gen, fake, 'lee@example.com');
      const text = textOf(page.html);
      expect(page.status).toBe(403);
      expect(text).toContain('VALIDATION_REQUIRED');
      expect(text).toContain('Verify your account to continue.');
      expect(page.html).toContain(
        'href="https://accounts.google.com/signin/continue?sarp&#x3D;1&amp;scc&#x3D;1"',
      );
      expect(text).toContain('Verify your account');
    });

    it("escapes Google's messages and drops links that are not http(s)", async () => {
      fake.addOAuthAccount({
        email: 'mo@example.com',
        refreshToken: '1//rt-mo',
        setup: {
          kind: 'ineligible',
          reasonCode: 'RESTRICTED_NETWORK',
          reasonMessage: '<script>alert("x")</script><img src=x onerror=alert(1)>',
          validationUrl: 'javascript:alert(1)',
        },
      });
      const { html } = await loginAs(gen, fake, 'mo@example.com');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;script&gt;');
      expect(html).not.toContain('javascript:');
    });
  });

  describe('callback problems', () => {
    it('explains a cancelled consent (error=access_denied)', async () => {
      const start = await pressLogin(gen);
      const callback = await consent(fake, start.consentUrl, 'deny');
      expect(callback.searchParams.get('error')).toBe('access_denied');
      const page = await followCallback(gen, callback, start.session);
      expect(page.status).toBe(400);
      expect(textOf(page.html)).toContain('Access was not granted');
    });

    it('refuses a replayed callback', async () => {
      fake.addOAuthAccount({
        email: 'ned@example.com',
        refreshToken: '1//rt-ned',
        projectId: 'ned-proj',
      });
      const start = await pressLogin(gen);
      const callback = await consent(fake, start.consentUrl, { email: 'ned@example.com' });
      expect((await followCallback(gen, callback, start.session)).status).toBe(200);
      const replay = await followCallback(gen, callback, start.session);
      expect(replay.status).toBe(400);
      expect(textOf(replay.html)).toContain('This login has expired or was already used');
    });

    it('refuses a callback without the login cookie, before spending the code', async () => {
      fake.addOAuthAccount({
        email: 'oli@example.com',
        refreshToken: '1//rt-oli',
        projectId: 'oli-proj',
      });
      const start = await pressLogin(gen);
      const callback = await consent(fake, start.consentUrl, { email: 'oli@example.com' });
      const page = await followCallback(gen, callback, {});
      expect(page.status).toBe(400);
      expect(textOf(page.html)).toContain('Your browser did not send the login cookie');
      expect(fake.requests.some((r) => r.action === 'authorization_code')).toBe(false);
    });

    it('refuses a callback carried by another browser (login CSRF)', async () => {
      fake.addOAuthAccount({
        email: 'pat@example.com',
        refreshToken: '1//rt-pat',
        projectId: 'pat-proj',
      });
      const attacker = await pressLogin(gen);
      const victim = await pressLogin(gen);
      const callback = await consent(fake, attacker.consentUrl, { email: 'pat@example.com' });
      const page = await followCallback(gen, callback, victim.session);
      expect(page.status).toBe(400);
      expect(textOf(page.html)).toContain('This login was started in another browser');
      expect(savedFiles(gen).filter((n) => n.includes('pat_'))).toEqual([]);
    });

    it('refuses a made-up state', async () => {
      const start = await pressLogin(gen);
      const page = await followCallback(
        gen,
        new URL('http://localhost:7860/oauth2callback?state=forged&code=4/0Axyz'),
        start.session,
      );
      expect(page.status).toBe(400);
      expect(textOf(page.html)).toContain('expired or was already used');
    });

    it("shows the token endpoint's refusal without leaking the code or the secret", async () => {
      fake.addOAuthAccount({
        email: 'quin@example.com',
        refreshToken: '1//rt-quin',
        projectId: 'q-proj',
      });
      fake.failNext(
        {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Code was already redeemed.' },
        },
        { action: 'authorization_code' },
      );
      const start = await pressLogin(gen);
      const callback = await consent(fake, start.consentUrl, { email: 'quin@example.com' });
      const page = await followCallback(gen, callback, start.session);
      const text = textOf(page.html);
      expect(page.status).toBe(502);
      expect(text).toContain('Google did not accept the login');
      expect(text).toContain('invalid_grant');
      expect(text).toContain('Code was already redeemed.');
      expect(page.html).not.toContain(callback.searchParams.get('code')!);
      expect(page.html).not.toContain(DEFAULT_SECRET);
      expect(page.html).not.toMatch(/\bat \w+ \(|node_modules/);
    });

    it('explains a user-info failure', async () => {
      fake.addOAuthAccount({
        email: 'ray@example.com',
        refreshToken: '1//rt-ray',
        projectId: 'ray-proj',
      });
      fake.failNext({ status: 403 }, { action: 'userinfo' });
      const page = await loginAs(gen, fake, 'ray@example.com');
      expect(page.status).toBe(502);
      expect(textOf(page.html)).toContain("Could not read the account's email address");
    });
  });

  describe('the paste-the-address fallback', () => {
    it('completes the login from the pasted address', async () => {
      fake.addOAuthAccount({
        email: 'sam@example.com',
        refreshToken: '1//rt-sam',
        projectId: 'sam-proj',
      });
      const start = await pressLogin(gen);
      const callback = await consent(fake, start.consentUrl, { email: 'sam@example.com' });
      const page = await pasteCallback(gen, `  ${callback.href}\n`, start.session);
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain('oauth_creds_sam_example_com_sam-proj.json');
      expect(readSaved(gen, 'oauth_creds_sam_example_com_sam-proj.json').refresh_token).toBe(
        '1//rt-sam',
      );
    });

    it('explains what to paste when the text is not the callback address', async () => {
      const start = await pressLogin(gen);
      const page = await pasteCallback(gen, 'https://accounts.google.com/', start.session);
      expect(page.status).toBe(400);
      expect(textOf(page.html)).toContain('That is not the address Google sent you to');
    });
  });
});

describe('credential generator configuration', () => {
  let fake: FakeGoogle;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
  });

  afterAll(() => fake?.close());

  async function withGenerator(
    env: Record<string, string | undefined>,
    run: (gen: RunningGenerator) => Promise<void>,
    extra: Partial<Parameters<typeof startTestGenerator>[0]> = {},
  ): Promise<void> {
    const gen = await startTestGenerator({ fake, env, ...extra });
    try {
      await run(gen);
    } finally {
      await gen.close();
    }
  }

  it('keeps a browser’s login when another browser posts /login 20 times', async () => {
    fake.addOAuthAccount({
      email: 'quinn@example.com',
      refreshToken: '1//rt-quinn',
      projectId: 'quinn-proj',
    });
    // Room for 10 logins in all: without a cap per browser, the flood would push B's out.
    await withGenerator(
      {},
      async (gen) => {
        const b = await pressLogin(gen);
        let a = await pressLogin(gen);
        for (let i = 1; i < 20; i++) a = await pressLogin(gen, '', a.session);
        const callback = await consent(fake, b.consentUrl, { email: 'quinn@example.com' });
        const page = await followCallback(gen, callback, b.session);
        expect(page.status).toBe(200);
        expect(readdirSync(gen.credentialsDir)).toContain(
          'oauth_creds_quinn_example_com_quinn-proj.json',
        );
      },
      { loginStates: { maxPending: 10 } },
    );
  });

  it('keeps a browser’s login when one address posts /login 50 times without a cookie', async () => {
    fake.addOAuthAccount({
      email: 'rosa@example.com',
      refreshToken: '1//rt-rosa',
      projectId: 'rosa-proj',
    });
    // Room for 10 logins in all; each cookieless POST is a new browser, so only its address
    // (reported by a reverse proxy on this host) tells the flood apart from Rosa.
    await withGenerator(
      {},
      async (gen) => {
        const rosa = await pressLogin(gen, '', { address: '198.51.100.2' });
        for (let i = 0; i < 50; i++) await pressLogin(gen, '', { address: '203.0.113.7' });
        const callback = await consent(fake, rosa.consentUrl, { email: 'rosa@example.com' });
        const page = await followCallback(gen, callback, rosa.session);
        expect(page.status).toBe(200);
        expect(readdirSync(gen.credentialsDir)).toContain(
          'oauth_creds_rosa_example_com_rosa-proj.json',
        );
      },
      { loginStates: { maxPending: 10 } },
    );
  });

  it('tells the user to bring a Web application client when the default one meets a public DOMAIN_NAME', async () => {
    await withGenerator({ DOMAIN_NAME: 'https://proxy.example.com' }, async (gen) => {
      const html = await (await fetch(`${gen.url}/`)).text();
      const text = textOf(html);
      expect(html).toContain('id="default-client-note"');
      expect(text).toContain('Web application');
      expect(text).toContain('https://proxy.example.com/oauth2callback');
      expect(text).toContain('CLIENT_ID');
    });
  });

  it("has no such note once CLIENT_ID names the user's own client", async () => {
    await withGenerator(
      {
        DOMAIN_NAME: 'https://proxy.example.com',
        CLIENT_ID: 'mine.apps.googleusercontent.com',
        CLIENT_SECRET: 's',
      },
      async (gen) => {
        const html = await (await fetch(`${gen.url}/`)).text();
        expect(html).not.toContain('id="default-client-note"');
        expect(html).not.toContain('id="https-note"');
      },
    );
  });

  it('warns that Google refuses a plain-http public redirect', async () => {
    await withGenerator(
      {
        DOMAIN_NAME: 'http://203.0.113.7:7860',
        CLIENT_ID: 'mine.apps.googleusercontent.com',
        CLIENT_SECRET: 's',
      },
      async (gen) => {
        expect(await (await fetch(`${gen.url}/`)).text()).toContain('id="https-note"');
      },
    );
  });

  it('falls back on GOOGLE_CLOUD_PROJECT for a standard-tier account and says so', async () => {
    fake.addOAuthAccount({
      email: 'tia@example.com',
      refreshToken: '1//rt-tia',
      projectId: 'tia-licensed',
      setup: { kind: 'standard-tier' },
    });
    await withGenerator({ GOOGLE_CLOUD_PROJECT: 'tia-licensed' }, async (gen) => {
      expect(textOf(await (await fetch(`${gen.url}/`)).text())).toContain(
        'GOOGLE_CLOUD_PROJECT (tia-licensed)',
      );
      const page = await loginAs(gen, fake, 'tia@example.com');
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain('tia-licensed (from GOOGLE_CLOUD_PROJECT)');
      expect(readSaved(gen, 'oauth_creds_tia_example_com_tia-licensed.json').project_id).toBe(
        'tia-licensed',
      );
    });
  });

  it('creates a missing PERSISTENT_STORAGE_PATH, nested folders included', async () => {
    fake.addOAuthAccount({
      email: 'uma@example.com',
      refreshToken: '1//rt-uma',
      projectId: 'uma-proj',
    });
    const root = mkdtempSync(path.join(tmpdir(), 'gen-creds-nested-'));
    const nested = path.join(root, 'a', 'b');
    try {
      await withGenerator({ PERSISTENT_STORAGE_PATH: nested }, async (gen) => {
        expect((await loginAs(gen, fake, 'uma@example.com')).status).toBe(200);
        expect(readdirSync(nested)).toContain('oauth_creds_uma_example_com_uma-proj.json');
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('shows an error page when the folder cannot be written', async () => {
    fake.addOAuthAccount({
      email: 'vic@example.com',
      refreshToken: '1//rt-vic',
      projectId: 'vic-proj',
    });
    const root = mkdtempSync(path.join(tmpdir(), 'gen-creds-blocked-'));
    const blocker = path.join(root, 'not-a-folder');
    writeFileSync(blocker, 'x');
    try {
      await withGenerator({ PERSISTENT_STORAGE_PATH: path.join(blocker, 'creds') }, async (gen) => {
        expect(await (await fetch(`${gen.url}/`)).text()).toContain('id="folder-note"');
        const page = await loginAs(gen, fake, 'vic@example.com');
        expect(page.status).toBe(500);
        expect(textOf(page.html)).toContain('The credential could not be saved');
        expect(textOf(page.html)).toContain('PERSISTENT_STORAGE_PATH');
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('saves nothing when Google sends no refresh token', async () => {
    fake.addOAuthAccount({
      email: 'wes@example.com',
      refreshToken: '1//rt-wes',
      projectId: 'wes-proj',
    });
    await withGenerator(
      {},
      async (gen) => {
        const page = await loginAs(gen, fake, 'wes@example.com');
        expect(page.status).toBe(502);
        expect(textOf(page.html)).toContain('Google sent no refresh token');
        expect(savedFiles(gen)).toEqual([]);
      },
      {
        // Google omits it when a Workspace policy blocks offline access; the fake always grants it.
        googleLogin: (real) => {
          const exchange = real.exchange.bind(real);
          real.exchange = async (...args) => ({
            ...(await exchange(...args)),
            refreshToken: undefined,
          });
          return real;
        },
      },
    );
  });

  it('starts through startGenerator with only the generator pages', async () => {
    await withGenerator(
      {},
      async (gen) => {
        expect((await fetch(`${gen.url}/`)).status).toBe(200);
        expect((await fetch(`${gen.url}/health`)).status).toBe(404);
        expect((await fetch(`${gen.url}/v1beta/models`)).status).toBe(404);
      },
      { production: true },
    );
  });
});
