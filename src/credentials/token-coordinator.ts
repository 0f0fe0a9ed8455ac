/** An OAuth access token as Google issued it. */
export interface SharedToken {
  accessToken: string;
  /** Epoch ms. */
  expiryDate?: number;
}

export interface CoordinatedToken {
  token: SharedToken;
  /** True when this process called Google (and so writes the token back to the file). */
  refreshed: boolean;
}

/**
 * Who refreshes a credential's access token when several replicas need one at once: with Redis,
 * one replica refreshes under a lock and the others reuse what it stored; alone, the caller does.
 * `fingerprint` names the refresh token (never the token itself), so that a new login never
 * reuses the previous grant's access token.
 */
export interface TokenCoordinator {
  refresh(
    credentialId: string,
    fingerprint: string,
    acceptable: (token: SharedToken) => boolean,
    refresh: () => Promise<SharedToken>,
  ): Promise<CoordinatedToken>;
}

export const TOKEN_COORDINATOR = Symbol('TOKEN_COORDINATOR');

export class LocalTokenCoordinator implements TokenCoordinator {
  async refresh(
    _id: string,
    _fingerprint: string,
    _acceptable: (token: SharedToken) => boolean,
    refresh: () => Promise<SharedToken>,
  ): Promise<CoordinatedToken> {
    return { token: await refresh(), refreshed: true };
  }
}
