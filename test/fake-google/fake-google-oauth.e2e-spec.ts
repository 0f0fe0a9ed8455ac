import { createHash, randomBytes } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { FakeGoogle } from './fake-google';
import { bearer, postJson } from './spec-helpers';

const ALICE = { email: 'alice@example.com', refreshToken: 'rt-alice' };
const REDIRECT = 'http://localhost:7860/oauth2callback';
const CLIENT_ID = 'client-123.apps.googleusercontent.com';

describe('FakeGoogle: consent, code exchange and userinfo', () => {
  let fake: FakeGoogle;

  beforeEach(async () => {
    fake = await FakeGoogle.start();
    fake.addOAuthAccount(ALICE);
    fake.addOAuthAccount({ email: 'bob@example.com', refreshToken: 'rt-bob' });
  });

  afterEach(() => fake.close());

  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  function consentUrl(params: Record<string, string | undefined> = {}): string {
    const all: Record<string, string | undefined> = {
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid https://www.googleapis.com/auth/cloud-platform',
      state: 'state-xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      ...params,
    };
    const query = new URLSearchParams(
      Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return `${fake.env().GOOGLE_OAUTH_AUTH_URL}?${query}`;
  }

  /** Opens the consent page, follows Alice's link and returns the redirect it answers with. */
  async function signIn(params: Record<string, string | undefined> = {}): Promise<URL> {
    const page = await (await fetch(consentUrl(params))).text();
    const href = /<a data-email="alice@example\.com" href="([^"]+)"/
      .exec(page)![1]
      .replace(/&amp;/g, '&');
    const approve = await fetch(new URL(href, fake.url), { redirect: 'manual' });
    expect(approve.status).toBe(302);
    return new URL(approve.headers.get('location')!);
  }

  const exchange = (code: string, codeVerifier: string | null = verifier) =>
    fetch(`${fake.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: CLIENT_ID,
        client_secret: 'secret',
        ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
      }),
    });

  it('lists every registered account on the consent page', async () => {
    const page = await (await fetch(consentUrl())).text();
    expect(page).toContain('<a data-email="alice@example.com"');
    expect(page).toContain('Continue as bob@example.com');
  });

  it('records what the consent request carried', async () => {
    await fetch(consentUrl());
    const consent = await fake.waitForRequest((r) => r.api === 'consent');
    expect(consent.query).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(consent.query.scope).toContain('cloud-platform');
  });

  it('redirects back with a code and the state, and exchanges the code with PKCE', async () => {
    const back = await signIn();
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-xyz');
    const res = await exchange(back.searchParams.get('code')!);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { access_token: string };
    expect(tokens).toMatchObject({
      refresh_token: ALICE.refreshToken,
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: expect.any(String),
    });
    const me = await fetch(fake.env().GOOGLE_USERINFO_URL, {
      headers: bearer(tokens.access_token),
    });
    expect(await me.json()).toMatchObject({
      email: ALICE.email,
      verified_email: true,
      id: expect.any(String),
    });
  });

  it.each([
    ['a wrong code verifier', 'not-the-verifier'],
    ['no code verifier', null],
  ])('refuses an exchange with %s as invalid_grant', async (_name, codeVerifier) => {
    const code = (await signIn()).searchParams.get('code')!;
    const res = await exchange(code, codeVerifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts a code only once', async () => {
    const code = (await signIn()).searchParams.get('code')!;
    expect((await exchange(code)).status).toBe(200);
    expect((await exchange(code)).status).toBe(400);
  });

  it('returns no refresh token on a repeat sign-in without prompt=consent', async () => {
    await exchange((await signIn()).searchParams.get('code')!);
    const again = await exchange(
      (await signIn({ prompt: 'select_account' })).searchParams.get('code')!,
    );
    expect(await again.json()).not.toHaveProperty('refresh_token');
  });

  it.each(['client_id', 'redirect_uri', 'state'])(
    'answers a consent request without %s with a 400 page',
    async (param) => {
      const res = await fetch(consentUrl({ [param]: undefined }));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(`Missing required parameter: ${param}`);
    },
  );

  it('redirects with access_denied when the user cancels', async () => {
    const page = await (await fetch(consentUrl())).text();
    const href = /<a data-action="deny" href="([^"]+)"/.exec(page)![1].replace(/&amp;/g, '&');
    const res = await fetch(new URL(href, fake.url), { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('state-xyz');
  });

  it('answers userinfo without a live token with 401', async () => {
    const res = await fetch(fake.env().GOOGLE_USERINFO_URL, { headers: bearer('ya29.nope') });
    expect(res.status).toBe(401);
  });

  describe('with google-auth-library', () => {
    const client = () =>
      new OAuth2Client({
        clientId: CLIENT_ID,
        clientSecret: 'secret',
        redirectUri: REDIRECT,
        endpoints: { oauth2TokenUrl: fake.env().GOOGLE_OAUTH_TOKEN_URL },
        // gaxios otherwise loads node-fetch by dynamic import, which Jest refuses without VM modules.
        transporterOptions: { fetchImplementation: fetch },
      });

    it('refreshes an access token and reports invalid_grant once revoked', async () => {
      const oauth = client();
      oauth.setCredentials({ refresh_token: ALICE.refreshToken });
      const { credentials } = await oauth.refreshAccessToken();
      expect(credentials.access_token).toMatch(/^ya29\./);
      expect(credentials.expiry_date).toBeGreaterThan(Date.now());
      fake.revokeRefreshToken(ALICE.refreshToken);
      await expect(oauth.refreshAccessToken()).rejects.toThrow('invalid_grant');
      expect(fake.tokenRefreshes(ALICE.refreshToken)).toBe(2);
    });

    it('exchanges a consent code with its PKCE verifier', async () => {
      const code = (await signIn()).searchParams.get('code')!;
      const { tokens } = await client().getToken({ code, codeVerifier: verifier });
      expect(tokens.refresh_token).toBe(ALICE.refreshToken);
    });
  });

  it('accepts a JSON body on the token endpoint', async () => {
    const res = await postJson(`${fake.url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: 'rt-bob',
    });
    expect(res.status).toBe(200);
  });
});
