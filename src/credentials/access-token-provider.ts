import type { OAuth2Client } from 'google-auth-library';
import { createHash } from 'node:crypto';
import type { FetchThrough } from '../route-out/route-out';
import { OAuthCredential } from './credential';
import { DEFAULT_TOKEN_TIMEOUT_MS, withinTimeLimit } from './time-limit';
import { EAGER_REFRESH_MS, tokenExpiry } from './token-lifetime';
import { LocalTokenCoordinator, SharedToken, TokenCoordinator } from './token-coordinator';

export type RefreshedToken = SharedToken;

/**
 * Access tokens for OAuth credentials, from google-auth-library's OAuth2Client pointed at the
 * configured token URL. Concurrent requests on one credential share one refresh.
 */
export class AccessTokenProvider {
  private readonly clients = new Map<
    string,
    { client: OAuth2Client; refreshToken: string; proxy?: string }
  >();
  private readonly inFlight = new Map<string, Promise<RefreshedToken>>();

  constructor(
    private readonly tokenUrl: string,
    /** `refreshed`: this process called Google; false when another replica's token was reused. */
    private readonly onRefreshed: (
      credential: OAuthCredential,
      token: RefreshedToken,
      refreshed: boolean,
    ) => void,
    private readonly now: () => number = Date.now,
    /**
     * The one time limit on a refresh, retries and the wait for another replica's refresh
     * included (TOKEN_TIMEOUT_MS). google-auth-library sets none of its own, so a token endpoint
     * that hangs would otherwise hold the refresh, and every request waiting on it, forever; and
     * a request waiting past this is better served by the next credential.
     */
    private readonly timeoutMs = DEFAULT_TOKEN_TIMEOUT_MS,
    private readonly coordinator: TokenCoordinator = new LocalTokenCoordinator(),
    /**
     * `fetch` over the route out to Google (HTTPS_PROXY, or the credential's own proxy). Node's
     * own fetch by default: gaxios would otherwise import node-fetch lazily, which fails inside
     * VM sandboxes such as jest's and costs a module load on the first refresh.
     */
    private readonly fetchFor: (proxy?: string) => FetchThrough = () => fetch,
  ) {}

  /** A valid access token, refreshing first when the cached one is missing or near expiry. */
  async accessToken(credential: OAuthCredential): Promise<string> {
    const { accessToken, expiryDate } = credential;
    if (accessToken && this.isFresh({ accessToken, expiryDate })) return accessToken;
    return (await this.obtain(credential, false)).accessToken;
  }

  /** Refreshes now (after Google answered 401), still sharing a refresh already under way. */
  refresh(credential: OAuthCredential): Promise<RefreshedToken> {
    return this.obtain(credential, true);
  }

  private isFresh(token: SharedToken): boolean {
    return token.expiryDate !== undefined && token.expiryDate - EAGER_REFRESH_MS > this.now();
  }

  /**
   * A new token: another replica's when it holds one fresh enough (and, after a 401, not the
   * very token Google just rejected), else one from Google.
   */
  private obtain(credential: OAuthCredential, rejected: boolean): Promise<RefreshedToken> {
    const running = this.inFlight.get(credential.id);
    if (running) return running;
    const fingerprint = createHash('sha256')
      .update(`${credential.clientId}\n${credential.refreshToken}`)
      .digest('hex')
      .slice(0, 32);
    const acceptable = (t: SharedToken) =>
      this.isFresh(t) && !(rejected && t.accessToken === credential.accessToken);
    const promise = withinTimeLimit(
      this.coordinator.refresh(credential.id, fingerprint, acceptable, () =>
        withinTimeLimit(this.doRefresh(credential), this.timeoutMs),
      ),
      this.timeoutMs,
    )
      .then(({ token, refreshed }) => {
        this.onRefreshed(credential, token, refreshed);
        return token;
      })
      .finally(() => this.inFlight.delete(credential.id));
    this.inFlight.set(credential.id, promise);
    return promise;
  }

  forget(id: string): void {
    this.clients.delete(id);
  }

  private async doRefresh(credential: OAuthCredential): Promise<RefreshedToken> {
    const client = await this.clientFor(credential);
    const startedAt = this.now();
    const { credentials } = await client.refreshAccessToken();
    if (!credentials.access_token) throw new Error('the token endpoint returned no access_token');
    // google-auth-library leaves expiry_date out when expires_in is 0 or missing.
    const token: RefreshedToken = {
      accessToken: credentials.access_token,
      expiryDate: tokenExpiry(startedAt, credentials.expiry_date ?? undefined),
    };
    return token;
  }

  private async clientFor(credential: OAuthCredential): Promise<OAuth2Client> {
    const cached = this.clients.get(credential.id);
    if (cached?.refreshToken === credential.refreshToken && cached.proxy === credential.proxy) {
      return cached.client;
    }
    // Loaded on the first refresh, not at start-up: a pool whose tokens are still fresh (or an
    // API-key pool) never needs it, and it costs about 20 ms of start-up and 1.5 MB of heap.
    const { OAuth2Client } = await import('google-auth-library');
    const client = new OAuth2Client({
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
      endpoints: { oauth2TokenUrl: this.tokenUrl },
      // Each try's socket is let go at the same limit that bounds the whole refresh.
      transporterOptions: {
        fetchImplementation: this.fetchFor(credential.proxy),
        timeout: this.timeoutMs,
      },
    });
    client.setCredentials({ refresh_token: credential.refreshToken });
    this.clients.set(credential.id, {
      client,
      refreshToken: credential.refreshToken,
      proxy: credential.proxy,
    });
    return client;
  }
}
