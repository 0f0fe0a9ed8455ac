import { loginErrorPage, safeLink } from './error-page';
import type { LoginFailure } from './login-errors';

const context = { redirectUri: 'http://localhost:7860/oauth2callback' };
const render = (failure: LoginFailure) => loginErrorPage(failure, context);
const text = (failure: LoginFailure) => JSON.stringify(render(failure));

describe('loginErrorPage', () => {
  it('shows an UNSUPPORTED_CLIENT refusal with the licensed-project and API-key ways out', () => {
    const page = render({
      kind: 'ineligible',
      email: 'me@gmail.com',
      reasons: [
        {
          reasonCode: 'UNSUPPORTED_CLIENT',
          reasonMessage: 'Gemini Code Assist for individuals is no longer available here.',
          tierId: 'free-tier',
        },
      ],
    });
    expect(page.status).toBe(403);
    expect(page.account).toBe('me@gmail.com');
    expect(page.reasons).toEqual([
      {
        code: 'UNSUPPORTED_CLIENT',
        message: 'Gemini Code Assist for individuals is no longer available here.',
        link: undefined,
      },
    ]);
    expect(page.steps.join(' ')).toMatch(/Standard or Enterprise/);
    expect(page.steps.join(' ')).toMatch(/GEMINI_API_KEYS/);
    expect(page.links.map((l) => l.url)).toContain('https://aistudio.google.com/apikey');
  });

  it("links Google's VALIDATION_REQUIRED page with Google's link text", () => {
    const page = render({
      kind: 'ineligible',
      email: 'me@gmail.com',
      reasons: [
        {
          reasonCode: 'VALIDATION_REQUIRED',
          reasonMessage: 'Verify your account.',
          validationUrl: 'https://accounts.google.com/signin/continue?x=1',
          validationUrlLinkText: 'Verify your account',
        },
      ],
      fixUrl: 'https://accounts.google.com/signin/continue?x=1',
    });
    expect(page.reasons[0].link).toEqual({
      url: 'https://accounts.google.com/signin/continue?x=1',
      text: 'Verify your account',
    });
    expect(page.steps[0]).toMatch(/verification link/);
  });

  it('drops a link that is not http(s)', () => {
    const page = render({
      kind: 'ineligible',
      email: 'me@gmail.com',
      reasons: [{ reasonCode: 'X', reasonMessage: 'm', validationUrl: 'javascript:alert(1)' }],
      fixUrl: 'javascript:alert(1)',
    });
    expect(JSON.stringify(page)).not.toContain('javascript:');
  });

  it.each<[LoginFailure, number, RegExp]>([
    [{ kind: 'bad-state', problem: 'expired' }, 400, /expired or was already used/],
    [{ kind: 'bad-state', problem: 'missing-cookie' }, 400, /cookie/],
    [{ kind: 'bad-state', problem: 'other-browser' }, 400, /another browser/],
    [{ kind: 'consent-refused', error: 'access_denied' }, 400, /access_denied/],
    [
      { kind: 'token-exchange', status: 400, error: 'invalid_grant', description: 'Bad Request' },
      502,
      /invalid_grant/,
    ],
    [
      { kind: 'token-exchange', status: 401, error: 'invalid_client' },
      502,
      /CLIENT_ID and CLIENT_SECRET/,
    ],
    [{ kind: 'no-refresh-token', email: 'a@x.com' }, 502, /refresh token/],
    [
      { kind: 'project-required', email: 'a@x.com', detail: 'needs a project' },
      400,
      /GOOGLE_CLOUD_PROJECT/,
    ],
    [{ kind: 'onboarding-timeout', email: 'a@x.com' }, 504, /log in again/],
    [{ kind: 'invalid-project-id', value: 'Bad Id' }, 400, /Bad Id/],
    [{ kind: 'invalid-callback-url' }, 400, /localhost:7860\/oauth2callback/],
    [{ kind: 'save-failed', folder: '/data', detail: 'EACCES' }, 500, /PERSISTENT_STORAGE_PATH/],
    [
      {
        kind: 'setup-refused',
        email: 'a@x.com',
        project: 'p',
        status: 403,
        message: 'off',
        reason: 'SERVICE_DISABLED',
        links: [],
      },
      502,
      /cloudaicompanion\.googleapis\.com/,
    ],
  ])('explains %j', (failure, status, words) => {
    expect(render(failure).status).toBe(status);
    expect(text(failure)).toMatch(words);
  });

  it('says nothing was saved whenever Google refused the account', () => {
    expect(render({ kind: 'project-required', email: 'a@x.com', detail: 'd' }).summary).toMatch(
      /Nothing was saved/,
    );
  });
});

describe('safeLink', () => {
  it.each([
    ['https://example.com/a?b=c', true],
    ['http://example.com', true],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['not a url', false],
    [undefined, false],
  ])('%s → %s', (url, ok) => {
    expect(safeLink(url, 't') !== undefined).toBe(ok);
  });
});
