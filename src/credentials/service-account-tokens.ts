import { createHash, createSign } from 'node:crypto';
import { VertexServiceAccountCredential } from './credential';
import type { FetchThrough } from '../route-out/route-out';
import { DEFAULT_TOKEN_TIMEOUT_MS, withinTimeLimit } from './time-limit';
import { EAGER_REFRESH_MS, tokenExpiry } from './token-lifetime';
import { LocalTokenCoordinator, SharedToken, TokenCoordinator } from './token-coordinator';

/**
 * The audience Google requires in a service account's assertion, whatever URL the grant is
 * posted to (GOOGLE_OAUTH_TOKEN_URL may point at a gateway or, in tests, a fake).
 */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_S = 3600;

/**
 * The token endpoint refused the grant. Shaped like google-auth-library's errors
 * (`response.status`, `response.data`), so that one classifier reads both: `invalid_grant`
 * (a deleted key, a disabled account) disables the credential, anything else is a passing fault.
 */
export class TokenGrantError extends Error {
  readonly response: { status: number; data: unknown };

  constructor(status: number, data: unknown) {
    const described =
      typeof data === 'object' && data !== null && 'error' in data
        ? `${String(data.error)}${'error_description' in data ? `: ${String(data.error_description)}` : ''}`
        : `HTTP ${status}`;
    super(`The token endpoint refused the service account's grant (${described})`);
    this.name = 'TokenGrantError';
    this.response = { status, data };
  }
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** The key the token was granted for: a replaced key file gets a new token. */
  fingerprint: string;
}

/** Signs the RS256 assertion of RFC 7523 for a service account (Google's JWT bearer grant). */
export function signAssertion(credential: VertexServiceAccountCredential, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    ...(credential.privateKeyId ? { kid: credential.privateKeyId } : {}),
  };
  const claims = {
    iss: credential.clientEmail,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: GOOGLE_TOKEN_AUDIENCE,
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(credential.privateKey);
  return `${unsigned}.${signature.toString('base64url')}`;
}

/**
 * Access tokens for service accounts. google-auth-library posts service-account grants to
 * Google's fixed URL, so the proxy signs the assertion and sends the grant itself, to
 * GOOGLE_OAUTH_TOKEN_URL like every other grant. Tokens are cached until shortly before they
 * expire; concurrent requests on one credential share one grant, and with Redis the replicas share
 * one grant through the coordinator, as they do OAuth refreshes.
 */
export class ServiceAccountTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly tokenUrl: string,
    private readonly now: () => number = Date.now,
    /** The one time limit on a grant, the wait for another replica's included (TOKEN_TIMEOUT_MS). */
    private readonly timeoutMs = DEFAULT_TOKEN_TIMEOUT_MS,
    private readonly coordinator: TokenCoordinator = new LocalTokenCoordinator(),
    /** `fetch` over the route out to Google (HTTPS_PROXY, or the credential's own proxy). */
    private readonly fetchFor: (proxy?: string) => FetchThrough = () => fetch,
  ) {}

  /** A valid token; `fresh` (after Google answered 401) skips the cache but still shares a grant under way. */
  async accessToken(credential: VertexServiceAccountCredential, fresh = false): Promise<string> {
    const fingerprint = keyFingerprint(credential);
    const cached = this.cache.get(credential.id);
    if (!fresh && cached?.fingerprint === fingerprint && this.isFresh(cached.expiresAt)) {
      return cached.accessToken;
    }
    const running = this.inFlight.get(credential.id);
    if (running) return (await running).accessToken;
    // After a 401, the token Google just rejected is no use, even if another replica holds it.
    const rejected = fresh ? cached?.accessToken : undefined;
    const acceptable = (t: SharedToken) =>
      t.expiryDate !== undefined && this.isFresh(t.expiryDate) && t.accessToken !== rejected;
    const promise = withinTimeLimit(
      this.coordinator.refresh(credential.id, fingerprint, acceptable, () =>
        this.grant(credential),
      ),
      this.timeoutMs,
    )
      .then(({ token }) => {
        const entry: CachedToken = {
          accessToken: token.accessToken,
          expiresAt: token.expiryDate ?? this.now(),
          fingerprint,
        };
        this.cache.set(credential.id, entry);
        return entry;
      })
      .finally(() => this.inFlight.delete(credential.id));
    this.inFlight.set(credential.id, promise);
    return (await promise).accessToken;
  }

  private isFresh(expiresAt: number): boolean {
    return expiresAt - EAGER_REFRESH_MS > this.now();
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  private async grant(credential: VertexServiceAccountCredential): Promise<SharedToken> {
    const startedAt = this.now();
    const res = await this.fetchFor(credential.proxy)(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: JWT_BEARER_GRANT,
        assertion: signAssertion(credential, startedAt),
      }).toString(),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON (a gateway's HTML page): kept as text for the error.
    }
    if (!res.ok) throw new TokenGrantError(res.status, data);
    const answer = data as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw new TokenGrantError(502, {
        error: 'no_access_token',
        error_description: 'the token endpoint returned no access_token',
      });
    }
    // Google's tokens last an hour when the answer does not say.
    const lifetimeS =
      answer.expires_in === undefined ? ASSERTION_LIFETIME_S : Number(answer.expires_in);
    return {
      accessToken: answer.access_token,
      expiryDate: tokenExpiry(startedAt, startedAt + lifetimeS * 1000),
    };
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** Names the key (never shows it), so that a replaced key file never reuses the old key's token. */
function keyFingerprint(credential: VertexServiceAccountCredential): string {
  return createHash('sha256')
    .update(`${credential.clientEmail}\n${credential.privateKey}`)
    .digest('hex')
    .slice(0, 32);
}
