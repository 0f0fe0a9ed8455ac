import { createHash, randomBytes } from 'node:crypto';
import type { Account } from './accounts';
import { consentErrorPage, consentPage } from './consent-page';
import type { Exchange } from './exchange';
import { googleError, UNAUTHENTICATED_HEADERS } from './google-errors';
import type { Route, RouteDeps, RouteTable } from './route';
import { JWT_BEARER_GRANT } from './service-accounts';
import { applyFault } from './script';
import { isRecord, type ApiName, type CallContext } from './types';

const DEFAULT_SCOPE = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'openid',
].join(' ');

interface ConsentSession {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  challenge?: string;
  challengeMethod?: string;
  accessType?: string;
  prompt?: string;
}

interface AuthCode {
  email: string;
  session: ConsentSession;
  grantsRefreshToken: boolean;
  used: boolean;
}

/** Google's OAuth endpoints: token (refresh and code exchange with PKCE), userinfo and consent. */
export class OAuthRoutes implements RouteTable {
  private readonly sessions = new Map<string, ConsentSession>();
  private readonly codes = new Map<string, AuthCode>();

  constructor(private readonly deps: RouteDeps) {}

  match(method: string, path: string): Route | undefined {
    const route = (api: ApiName, action: string, run: Route['run']): Route => ({
      api,
      action,
      run,
    });
    if (method === 'POST' && path === '/token')
      return route('oauth', 'token', (ex) => this.token(ex));
    if (method === 'GET' && path === '/oauth2/v2/userinfo') {
      return route('userinfo', 'userinfo', (ex) => this.userinfo(ex));
    }
    if (method === 'GET' && path === '/o/oauth2/v2/auth') {
      return route('consent', 'consent', (ex) => this.consent(ex));
    }
    if (method === 'GET' && path === '/o/oauth2/approve') {
      return route('consent', 'approve', (ex) => this.approve(ex));
    }
    return undefined;
  }

  private async token(ex: Exchange): Promise<void> {
    const form = stringFields(ex.body);
    if (form.grant_type === 'refresh_token') return this.refresh(ex, form);
    if (form.grant_type === 'authorization_code') return this.exchangeCode(ex, form);
    if (form.grant_type === JWT_BEARER_GRANT) return this.serviceAccountGrant(ex, form);
    ex.record();
    oauthError(ex, 400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`);
  }

  private async refresh(ex: Exchange, form: Record<string, string>): Promise<void> {
    const refreshToken = form.refresh_token;
    const account = refreshToken ? this.deps.accounts.byRefreshToken(refreshToken) : undefined;
    const call = this.admit(ex, 'oauth', 'refresh_token', account?.email);
    if (!refreshToken) {
      return oauthError(ex, 400, 'invalid_request', 'Missing required parameter: refresh_token');
    }
    this.deps.accounts.noteRefresh(refreshToken);
    if (!(await applyFault(ex, this.deps.script, call))) return;
    if (!account || this.deps.accounts.isRevoked(refreshToken)) {
      return oauthError(ex, 400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    if (account.clientId !== undefined && form.client_id !== account.clientId) {
      return oauthError(ex, 401, 'unauthorized_client', 'Unauthorized');
    }
    const { accessToken, expiresIn } = this.deps.accounts.issueAccessToken(account);
    ex.json(200, {
      access_token: accessToken,
      expires_in: expiresIn,
      scope: DEFAULT_SCOPE,
      token_type: 'Bearer',
    });
  }

  /** The JWT bearer grant of service accounts: a signed assertion in, an access token out. */
  private async serviceAccountGrant(ex: Exchange, form: Record<string, string>): Promise<void> {
    const check = this.deps.serviceAccounts.check(form.assertion);
    const email = check.ok ? check.account.email : check.email;
    const call = this.admit(ex, 'oauth', 'jwt-bearer', email);
    if (!(await applyFault(ex, this.deps.script, call))) return;
    if (!check.ok) return oauthError(ex, 400, check.error, check.description);
    const { accessToken, expiresIn } = this.deps.serviceAccounts.issue(check.account);
    ex.json(200, { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' });
  }

  private async exchangeCode(ex: Exchange, form: Record<string, string>): Promise<void> {
    const code = form.code ? this.codes.get(form.code) : undefined;
    const call = this.admit(ex, 'oauth', 'authorization_code', code?.email);
    if (!(await applyFault(ex, this.deps.script, call))) return;
    if (!code) return oauthError(ex, 400, 'invalid_grant', 'Malformed auth code.');
    if (code.used) return oauthError(ex, 400, 'invalid_grant', 'Bad Request');
    const { session } = code;
    if (form.redirect_uri !== session.redirectUri) {
      return oauthError(ex, 400, 'redirect_uri_mismatch', 'Bad Request');
    }
    if (form.client_id !== undefined && form.client_id !== session.clientId) {
      return oauthError(ex, 401, 'invalid_client', 'Unauthorized');
    }
    const pkce = pkceProblem(session, form.code_verifier);
    if (pkce) return oauthError(ex, 400, 'invalid_grant', pkce);
    const account = this.deps.accounts.get(code.email);
    if (!account) return oauthError(ex, 400, 'invalid_grant', 'Account has been deleted');
    code.used = true;
    if (code.grantsRefreshToken) this.deps.accounts.restore(account.refreshToken);
    const { accessToken, expiresIn } = this.deps.accounts.issueAccessToken(account);
    ex.json(200, {
      access_token: accessToken,
      expires_in: expiresIn,
      scope: session.scope,
      token_type: 'Bearer',
      ...(code.grantsRefreshToken ? { refresh_token: account.refreshToken } : {}),
      ...(session.scope.split(' ').includes('openid')
        ? { id_token: idToken(account, session) }
        : {}),
    });
  }

  private async userinfo(ex: Exchange): Promise<void> {
    const account = this.deps.accounts.fromAuthorization(ex.req.headers.authorization);
    const call = this.admit(ex, 'userinfo', 'userinfo', account?.email);
    if (!account) {
      return ex.json(
        401,
        googleError(
          401,
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        ),
        UNAUTHENTICATED_HEADERS,
      );
    }
    if (!(await applyFault(ex, this.deps.script, call))) return;
    ex.json(200, { id: account.userId, email: account.email, verified_email: true });
  }

  private async consent(ex: Exchange): Promise<void> {
    const call = this.admit(ex, 'consent', 'consent', undefined);
    if (!(await applyFault(ex, this.deps.script, call))) return;
    const q = ex.query;
    const missing = ['client_id', 'redirect_uri', 'state'].find((key) => !q[key]);
    if (missing) return ex.html(400, consentErrorPage(`Missing required parameter: ${missing}`));
    if (q.response_type !== 'code') {
      return ex.html(400, consentErrorPage(`Invalid response_type: ${q.response_type ?? ''}`));
    }
    if (!URL.canParse(q.redirect_uri)) {
      return ex.html(400, consentErrorPage('Invalid parameter value for redirect_uri'));
    }
    const method = q.code_challenge_method ?? (q.code_challenge ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      return ex.html(400, consentErrorPage(`Invalid code_challenge_method: ${method}`));
    }
    const sessionId = randomBytes(12).toString('base64url');
    this.sessions.set(sessionId, {
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      state: q.state,
      scope: q.scope ?? DEFAULT_SCOPE,
      challenge: q.code_challenge,
      challengeMethod: method,
      accessType: q.access_type,
      prompt: q.prompt,
    });
    const emails = this.deps.accounts.list().map((a) => a.email);
    ex.html(200, consentPage(sessionId, q.client_id, emails));
  }

  private async approve(ex: Exchange): Promise<void> {
    const q = ex.query;
    const call = this.admit(ex, 'consent', 'approve', q.email);
    if (!(await applyFault(ex, this.deps.script, call))) return;
    const session = q.session ? this.sessions.get(q.session) : undefined;
    if (!session) return ex.html(400, consentErrorPage('Unknown or expired sign-in session.'));
    const target = new URL(session.redirectUri);
    if (q.deny) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('state', session.state);
      return ex.redirect(target.href);
    }
    const account = q.email ? this.deps.accounts.get(q.email) : undefined;
    if (!account) return ex.html(400, consentErrorPage(`Unknown account: ${q.email ?? ''}`));
    const code = `4/0A${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, {
      email: account.email,
      session,
      grantsRefreshToken: grantsRefreshToken(account, session),
      used: false,
    });
    target.searchParams.set('state', session.state);
    target.searchParams.set('code', code);
    target.searchParams.set('scope', session.scope);
    ex.redirect(target.href);
  }

  private admit(ex: Exchange, api: ApiName, action: string, credential?: string): CallContext {
    const call: CallContext = { api, action, credential };
    ex.record(call);
    return call;
  }
}

/**
 * Google returns a refresh token only for offline access, and on a repeat sign-in by the same
 * client only when `prompt=consent` forces the consent screen again.
 */
function grantsRefreshToken(account: Account, session: ConsentSession): boolean {
  if (session.accessType !== 'offline') return false;
  const first = !account.grantedClients.has(session.clientId);
  const forced = (session.prompt ?? '').split(' ').includes('consent');
  account.grantedClients.add(session.clientId);
  return first || forced;
}

function pkceProblem(session: ConsentSession, verifier: string | undefined): string | undefined {
  if (session.challenge === undefined) return undefined;
  if (!verifier) return 'Missing code verifier.';
  const derived =
    session.challengeMethod === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  return derived === session.challenge ? undefined : 'Invalid code verifier.';
}

/** An unsigned-looking ID token with the claims clients read; its signature is not real. */
function idToken(account: Account, session: ConsentSession): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    iss: 'https://accounts.google.com',
    azp: session.clientId,
    aud: session.clientId,
    sub: account.userId,
    email: account.email,
    email_verified: true,
    iat: now,
    exp: now + 3600,
  };
  return `${part({ alg: 'RS256', kid: 'fake-google', typ: 'JWT' })}.${part(claims)}.${part('fake')}`;
}

function stringFields(body: unknown): Record<string, string> {
  if (!isRecord(body)) return {};
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body))
    if (typeof value === 'string') fields[key] = value;
  return fields;
}

function oauthError(ex: Exchange, status: number, error: string, description: string): void {
  ex.json(status, { error, error_description: description });
}
