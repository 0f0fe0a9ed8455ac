import { AccessTokenProvider, RefreshedToken } from './access-token-provider';
import { Clock } from '../time/clock';
import { OAuthCredential, VertexServiceAccountCredential } from './credential';
import { CredentialPool } from './credential-pool';
import { CredentialWriteBack } from './credential-write-back';
import { ServiceAccountTokens } from './service-account-tokens';
import { TokenCoordinator } from './token-coordinator';
import type { RouteOut } from '../route-out/route-out';

/**
 * Access tokens of OAuth accounts (refresh grant) and service accounts (JWT bearer grant). A
 * refreshed OAuth token goes into the pool and, from the replica that called Google only, back to
 * the credential's file; the other replicas reuse it from the coordinator.
 */
export class CredentialTokens {
  private readonly oauth: AccessTokenProvider;
  private readonly serviceAccounts: ServiceAccountTokens;

  constructor(
    private readonly options: {
      tokenUrl: string;
      clock: Clock;
      pool: CredentialPool;
      writeBack: CredentialWriteBack;
      timeoutMs?: number;
      coordinator?: TokenCoordinator;
      /** The way out to the token endpoint; unset, Node's own fetch, direct. */
      routeOut?: RouteOut;
    },
  ) {
    const now = () => options.clock.now();
    const { routeOut } = options;
    const fetchFor = routeOut ? (proxy?: string) => routeOut.fetch(proxy) : undefined;
    this.oauth = new AccessTokenProvider(
      options.tokenUrl,
      (c, t, refreshed) => this.onRefreshed(c, t, refreshed),
      now,
      options.timeoutMs,
      options.coordinator,
      fetchFor,
    );
    this.serviceAccounts = new ServiceAccountTokens(
      options.tokenUrl,
      now,
      options.timeoutMs,
      options.coordinator,
      fetchFor,
    );
  }

  accessToken(credential: OAuthCredential): Promise<string> {
    return this.oauth.accessToken(this.current(credential));
  }

  async forceRefresh(credential: OAuthCredential): Promise<string> {
    return (await this.oauth.refresh(this.current(credential))).accessToken;
  }

  serviceAccountToken(credential: VertexServiceAccountCredential, fresh = false): Promise<string> {
    return this.serviceAccounts.accessToken(credential, fresh);
  }

  /** Drops what this process holds for a credential that left the pool or got a new secret. */
  forget(id: string): void {
    this.oauth.forget(id);
    this.serviceAccounts.forget(id);
  }

  /** The pool's copy, which may hold a newer token than the caller's. */
  current(credential: OAuthCredential): OAuthCredential {
    const found = this.options.pool.get(credential.id);
    return found?.kind === 'oauth' ? found : credential;
  }

  private onRefreshed(
    credential: OAuthCredential,
    token: RefreshedToken,
    refreshed: boolean,
  ): void {
    const updated: OAuthCredential = {
      ...this.current(credential),
      accessToken: token.accessToken,
      expiryDate: token.expiryDate,
    };
    this.options.pool.update(updated);
    if (refreshed) {
      this.options.writeBack.write(updated.sourceFile, {
        access_token: token.accessToken,
        expiry_date: token.expiryDate,
      });
    }
  }
}
