import { CodeChallengeMethod, Credentials, OAuth2Client } from 'google-auth-library';
import type { LoginAttempt } from './login-state-store';
import { LoginError } from './login-errors';

/** reference/upstream.md §3.1: gemini-cli's scopes plus `openid`, as the seed asks for them. */
export const LOGIN_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'openid',
];

export interface GoogleLoginConfig {
  clientId: string;
  clientSecret: string;
  authUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
}

export interface LoginTokens {
  accessToken: string;
  refreshToken?: string;
  expiryDate?: number;
}

/**
 * Google's OAuth endpoints through google-auth-library, pointed at the configured URLs so that
 * tests and corporate gateways can stand in for accounts.google.com.
 */
export class GoogleLogin {
  constructor(
    private readonly config: GoogleLoginConfig,
    /**
     * `fetch` over the route out (HTTPS_PROXY/HTTP_PROXY). Node's own by default: gaxios otherwise
     * loads node-fetch through a dynamic import(), which fails inside Jest's VM
     * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG).
     */
    private readonly fetchThrough: typeof fetch = fetch,
  ) {}

  consentUrl(attempt: LoginAttempt): string {
    return this.client().generateAuthUrl({
      redirect_uri: attempt.redirectUri,
      // offline + consent: Google returns a refresh token only on a fresh consent, and the seed's
      // prompt=select_account let a second login write "refresh_token": null.
      access_type: 'offline',
      prompt: 'consent',
      scope: LOGIN_SCOPES,
      state: attempt.state,
      code_challenge: attempt.codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
  }

  async exchange(code: string, attempt: LoginAttempt): Promise<LoginTokens> {
    let tokens: Credentials;
    try {
      ({ tokens } = await this.client().getToken({
        code,
        codeVerifier: attempt.codeVerifier,
        redirect_uri: attempt.redirectUri,
      }));
    } catch (error) {
      throw new LoginError({ kind: 'token-exchange', ...oauthErrorFacts(error) });
    }
    if (!tokens.access_token) {
      throw new LoginError({
        kind: 'token-exchange',
        description: 'Google answered without an access token.',
      });
    }
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? undefined,
      expiryDate: tokens.expiry_date ?? undefined,
    };
  }

  /** The account's email from the user-info endpoint. */
  async email(accessToken: string): Promise<string> {
    const client = this.client();
    client.setCredentials({ access_token: accessToken });
    let data: { email?: unknown };
    try {
      ({ data } = await client.request<{ email?: unknown }>({ url: this.config.userInfoUrl }));
    } catch (error) {
      const facts = oauthErrorFacts(error);
      const detail = [facts.status ? `HTTP ${facts.status}` : '', facts.error, facts.description]
        .filter(Boolean)
        .join(': ');
      throw new LoginError({ kind: 'user-info', detail: detail || 'no answer' });
    }
    if (typeof data?.email !== 'string' || !data.email.includes('@')) {
      throw new LoginError({ kind: 'user-info', detail: 'the answer holds no email address' });
    }
    return data.email;
  }

  private client(): OAuth2Client {
    return new OAuth2Client({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      endpoints: { oauth2AuthBaseUrl: this.config.authUrl, oauth2TokenUrl: this.config.tokenUrl },
      transporterOptions: { fetchImplementation: this.fetchThrough },
    });
  }
}

/**
 * What a failed OAuth call may show: the HTTP status and Google's `error` / `error_description`
 * (or `error.message`). Never gaxios' message or config, which carry the request and its secret.
 */
export function oauthErrorFacts(error: unknown): {
  status?: number;
  error?: string;
  description?: string;
} {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  if (!response) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      description: `Google could not be reached${typeof code === 'string' ? ` (${code})` : ''}.`,
    };
  }
  const status = typeof response.status === 'number' ? response.status : undefined;
  const data = response.data;
  if (data && typeof data === 'object') {
    const d = data as { error?: unknown; error_description?: unknown };
    if (typeof d.error === 'string') {
      return {
        status,
        error: d.error,
        description: typeof d.error_description === 'string' ? d.error_description : undefined,
      };
    }
    if (d.error && typeof d.error === 'object') {
      const e = d.error as { status?: unknown; message?: unknown };
      return {
        status,
        error: typeof e.status === 'string' ? e.status : undefined,
        description: typeof e.message === 'string' ? e.message : undefined,
      };
    }
  }
  return { status };
}
