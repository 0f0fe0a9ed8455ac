import { GoogleLogin, LOGIN_SCOPES, oauthErrorFacts } from './google-login';
import { LoginStateStore } from './login-state-store';

const config = {
  clientId: 'client-123.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-secret',
  authUrl: 'https://accounts.example.test/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.example.test/token',
  userInfoUrl: 'https://www.example.test/oauth2/v2/userinfo',
};

describe('GoogleLogin.consentUrl', () => {
  const store = new LoginStateStore();
  const attempt = store.start({
    browserId: store.browserId(undefined),
    clientAddress: '127.0.0.1',
    redirectUri: 'http://localhost:7860/oauth2callback',
  });
  const url = new URL(new GoogleLogin(config).consentUrl(attempt));
  const q = Object.fromEntries(url.searchParams);

  it('points at the configured consent page', () => {
    expect(`${url.origin}${url.pathname}`).toBe(config.authUrl);
  });

  it('asks for offline access with a forced consent, so a refresh token always comes back', () => {
    expect(q).toMatchObject({ access_type: 'offline', prompt: 'consent', response_type: 'code' });
  });

  it('asks for the cloud-platform, email, profile and openid scopes', () => {
    expect(q.scope.split(' ').sort()).toEqual([...LOGIN_SCOPES].sort());
  });

  it('carries the state, the S256 challenge, the client and the redirect URI', () => {
    expect(q).toMatchObject({
      state: attempt.state,
      code_challenge: attempt.codeChallenge,
      code_challenge_method: 'S256',
      client_id: config.clientId,
      redirect_uri: 'http://localhost:7860/oauth2callback',
    });
  });

  it('never puts the client secret or the verifier in the address', () => {
    expect(url.href).not.toContain(config.clientSecret);
    expect(url.href).not.toContain(attempt.codeVerifier);
  });
});

describe('oauthErrorFacts', () => {
  it("keeps Google's OAuth error and description", () => {
    const error = Object.assign(new Error('invalid_grant'), {
      response: { status: 400, data: { error: 'invalid_grant', error_description: 'Bad Request' } },
      config: { data: 'client_secret=GOCSPX-secret&code=4/abc' },
    });
    expect(oauthErrorFacts(error)).toEqual({
      status: 400,
      error: 'invalid_grant',
      description: 'Bad Request',
    });
  });

  it("keeps a Google API error's status and message", () => {
    const error = {
      response: { status: 401, data: { error: { status: 'UNAUTHENTICATED', message: 'no' } } },
    };
    expect(oauthErrorFacts(error)).toEqual({
      status: 401,
      error: 'UNAUTHENTICATED',
      description: 'no',
    });
  });

  it('says Google could not be reached when there was no answer', () => {
    expect(oauthErrorFacts(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toEqual({
      description: 'Google could not be reached (ECONNREFUSED).',
    });
  });

  it('never repeats the request it came from', () => {
    const error = Object.assign(
      new Error('request to https://x?client_secret=GOCSPX-secret failed'),
      {
        response: { status: 500, data: '<html>oops</html>' },
      },
    );
    expect(JSON.stringify(oauthErrorFacts(error))).not.toContain('GOCSPX');
  });
});
