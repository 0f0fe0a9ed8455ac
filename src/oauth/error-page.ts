import type { LoginFailure, LoginStateProblem } from './login-errors';
import type { ErrorPage, PageLink } from './page-models';

export interface ErrorPageContext {
  redirectUri: string;
}

const API_KEY_STEP =
  'Or use a Gemini API key instead: create one in Google AI Studio and add it to GEMINI_API_KEYS ' +
  'in .env. The proxy serves every endpoint with API keys, alone or next to OAuth accounts.';
const API_KEY_LINK: PageLink = {
  url: 'https://aistudio.google.com/apikey',
  text: 'Create a Gemini API key (Google AI Studio)',
};
const LICENSED_PROJECT_STEP =
  'If your organisation has a Gemini Code Assist Standard or Enterprise licence, go back, type ' +
  'the licensed Google Cloud project id in the form (or set GOOGLE_CLOUD_PROJECT) and log in again.';

/** The words for a failed login. Google's texts are passed through as data, never as markup. */
export function loginErrorPage(failure: LoginFailure, context: ErrorPageContext): ErrorPage {
  switch (failure.kind) {
    case 'bad-state':
      return stateProblemPage(failure.problem);
    case 'consent-refused':
      return failure.error === 'access_denied'
        ? page(400, 'Access was not granted', {
            summary:
              'Google reports that the consent screen was cancelled or refused (access_denied). ' +
              'The proxy needs every permission it asks for to call Gemini for this account.',
            steps: ['Start again and press "Allow" on Google\'s consent screen.'],
          })
        : page(400, 'Google stopped the login', {
            summary: 'Google sent the browser back with an error instead of a login code.',
            reasons: [{ code: failure.error, message: failure.description ?? '' }],
            steps: [
              'Start again. If it happens every time, check CLIENT_ID and its OAuth consent screen.',
            ],
          });
    case 'missing-code':
      return page(400, 'Google sent no login code', {
        summary: 'The address Google sent the browser to has no "code" parameter.',
        steps: ['Start again from the form.'],
      });
    case 'invalid-callback-url':
      return page(400, 'That is not the address Google sent you to', {
        summary:
          `Paste the whole address from the browser bar after signing in. It starts with ` +
          `${context.redirectUri}? and contains "state=" and "code=".`,
        steps: [
          'Start again from the form, sign in, and copy the address of the page that fails to load.',
        ],
      });
    case 'invalid-project-id':
      return page(400, 'That is not a Google Cloud project id', {
        summary: `"${failure.value}" is not a project id.`,
        steps: [
          'Project ids are 6–30 lower-case letters, digits and hyphens, such as my-project-123; ' +
            'the Google Cloud console shows them in its project picker.',
          'Leave the field empty to let the generator find or set up the project itself.',
        ],
      });
    case 'token-exchange':
      return tokenExchangePage(failure);
    case 'no-refresh-token':
      return page(502, 'Google sent no refresh token', {
        account: failure.email,
        summary:
          'Without a refresh token the credential would stop working within the hour, so nothing was saved. ' +
          'Google only sends one on a fresh consent; some Workspace policies block offline access.',
        steps: [
          'Remove this app from the account\'s "Third-party apps with account access", then log in again.',
        ],
        links: [
          { url: 'https://myaccount.google.com/permissions', text: 'Google account permissions' },
        ],
      });
    case 'user-info':
      return page(502, "Could not read the account's email address", {
        summary: `Google's user-info endpoint did not answer as expected (${failure.detail}).`,
        steps: ['Start again. The email is needed to name the credential file.'],
      });
    case 'ineligible':
      return ineligiblePage(failure);
    case 'project-required':
      return page(400, 'This account needs a Google Cloud project', {
        account: failure.email,
        summary:
          'Its Code Assist tier (Standard or Enterprise) runs inside a Google Cloud project you choose, ' +
          'and none was given. Nothing was saved.',
        reasons: [{ message: failure.detail }],
        steps: [
          'Go back and type the id of a Google Cloud project that has a Gemini Code Assist licence and ' +
            'the Gemini for Google Cloud API (cloudaicompanion.googleapis.com) enabled, or set ' +
            'GOOGLE_CLOUD_PROJECT before starting the generator.',
          API_KEY_STEP,
        ],
        links: [API_KEY_LINK],
      });
    case 'onboarding-timeout':
      return page(504, 'Google is still setting up this account', {
        account: failure.email,
        summary: 'Code Assist onboarding did not finish in time. Nothing was saved.',
        steps: ['Wait a minute, then log in again; Google continues the setup meanwhile.'],
      });
    case 'setup-refused':
      return page(502, 'Google refused the Code Assist setup', {
        account: failure.email,
        summary: failure.project
          ? `Code Assist answered HTTP ${failure.status} for project ${failure.project}. Nothing was saved.`
          : `Code Assist answered HTTP ${failure.status}. Nothing was saved.`,
        reasons: [{ code: failure.reason, message: failure.message }],
        steps: [
          ...(failure.reason === 'SERVICE_DISABLED'
            ? [
                'Enable the Gemini for Google Cloud API (cloudaicompanion.googleapis.com) in that project.',
              ]
            : []),
          ...(failure.project
            ? [
                `Check that this account may use project ${failure.project} and that it has a Code Assist licence.`,
              ]
            : []),
          API_KEY_STEP,
        ],
        links: [...failure.links, API_KEY_LINK],
      });
    case 'setup-unreachable':
      return page(502, "Could not reach Google's Code Assist service", {
        account: failure.email,
        summary: `${failure.detail}. Nothing was saved.`,
        steps: ['Check the network and CODE_ASSIST_ENDPOINT, then log in again.'],
      });
    case 'save-failed':
      return page(500, 'The credential could not be saved', {
        summary: `Writing to ${failure.folder} failed (${failure.detail}).`,
        steps: [
          'Make PERSISTENT_STORAGE_PATH a folder this process can write; a Docker volume must be ' +
            "writable by the container's user. Then log in again.",
        ],
      });
  }
}

export function notFoundPage(): ErrorPage {
  return page(404, 'Page not found', {
    summary: "The generator has only the login form and Google's callback.",
    steps: [],
  });
}

export function unexpectedErrorPage(status = 500): ErrorPage {
  return page(status, 'Something went wrong', {
    summary:
      "The login could not be completed; the details are in the generator's log. Nothing was saved.",
    steps: ['Start again from the form.'],
  });
}

function stateProblemPage(problem: LoginStateProblem): ErrorPage {
  switch (problem) {
    case 'missing-state':
    case 'unknown-state':
    case 'expired':
      return page(400, 'This login has expired or was already used', {
        summary:
          'Each login can be completed once, within 10 minutes of pressing "Login with Google", ' +
          'and only while this generator keeps running.',
        steps: ['Start again from the form.'],
      });
    case 'missing-cookie':
      return page(400, 'Your browser did not send the login cookie', {
        summary:
          'The login must finish in the browser, and at the address, where it started. Browsers treat ' +
          'localhost and 127.0.0.1 as different sites.',
        steps: [
          'Open the generator at the address DOMAIN_NAME names, start again, and stay in the same browser.',
          'When pasting the address, paste it into the generator page where you pressed "Login with Google".',
        ],
      });
    case 'other-browser':
      return page(400, 'This login was started in another browser', {
        summary:
          'To keep other sites from completing a login for you, it must finish where it started.',
        steps: [
          'Start again in this browser, or finish the login in the browser where you started it.',
        ],
      });
  }
}

function tokenExchangePage(failure: Extract<LoginFailure, { kind: 'token-exchange' }>): ErrorPage {
  const steps: string[] = [];
  if (failure.error === 'invalid_client' || failure.error === 'unauthorized_client') {
    steps.push('Check CLIENT_ID and CLIENT_SECRET: Google does not recognise this OAuth client.');
  } else if (failure.error === 'redirect_uri_mismatch') {
    steps.push("Add DOMAIN_NAME/oauth2callback to the OAuth client's authorised redirect URIs.");
  } else {
    steps.push('Start again: a login code works once and only for a few minutes.');
  }
  return page(502, 'Google did not accept the login', {
    summary: `The exchange of the login code for tokens failed${failure.status ? ` (HTTP ${failure.status})` : ''}.`,
    reasons:
      failure.error || failure.description
        ? [{ code: failure.error, message: failure.description ?? '' }]
        : [],
    steps,
  });
}

function ineligiblePage(failure: Extract<LoginFailure, { kind: 'ineligible' }>): ErrorPage {
  const codes = new Set(failure.reasons.map((r) => r.reasonCode));
  const steps: string[] = [];
  if (codes.has('VALIDATION_REQUIRED')) {
    steps.push("Open Google's verification link with this account, finish it, then log in again.");
  }
  if (codes.has('UNSUPPORTED_CLIENT')) {
    steps.push(
      'Since 18 June 2026 Google serves Code Assist only to Gemini Code Assist Standard and ' +
        'Enterprise licences; individual accounts (free, Google AI Pro, Google AI Ultra) are refused.',
    );
  }
  steps.push(LICENSED_PROJECT_STEP, API_KEY_STEP);
  const fix = safeLink(failure.fixUrl, 'Fix this in your Google account');
  return page(403, 'Google does not let this account use Code Assist', {
    account: failure.email,
    summary: failure.project
      ? `Google refused the account with project ${failure.project}. Nothing was saved.`
      : 'Google refused the account. Nothing was saved.',
    reasons: failure.reasons.map((r) => ({
      code: r.reasonCode,
      message: r.reasonMessage,
      link: safeLink(r.validationUrl, r.validationUrlLinkText || "Open Google's link"),
    })),
    steps,
    links: [
      ...(fix && !failure.reasons.some((r) => r.validationUrl === fix.url) ? [fix] : []),
      API_KEY_LINK,
    ],
  });
}

function page(
  status: number,
  title: string,
  parts: Partial<Omit<ErrorPage, 'status' | 'title'>> & { summary: string; steps: string[] },
): ErrorPage {
  return {
    status,
    title,
    summary: parts.summary,
    account: parts.account,
    reasons: parts.reasons ?? [],
    steps: parts.steps,
    links: (parts.links ?? []).flatMap((l) => safeLink(l.url, l.text) ?? []),
  };
}

/** Google's links are untrusted data: only http(s) addresses become links. */
export function safeLink(url: string | undefined, text: string): PageLink | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? { url: parsed.href, text }
      : undefined;
  } catch {
    return undefined;
  }
}
