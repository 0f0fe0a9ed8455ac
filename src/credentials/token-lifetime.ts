/** Refreshes this long before expiry, so that a token never dies mid-request. */
export const EAGER_REFRESH_MS = 5 * 60_000;

/**
 * The least time a granted token is used before the next grant. A token endpoint answering
 * `expires_in` of 0, a negative number, a non-number or nothing (a misconfigured gateway, a
 * fake) would otherwise make every request a grant; should the token really be dead sooner,
 * Google's 401 makes the backend ask for a fresh one.
 */
export const MIN_TOKEN_REUSE_MS = 30_000;

/** When to treat a token granted at `grantedAt` as expired, given the expiry the endpoint implied. */
export function tokenExpiry(grantedAt: number, expiresAt: number | undefined): number {
  const floor = grantedAt + EAGER_REFRESH_MS + MIN_TOKEN_REUSE_MS;
  return expiresAt !== undefined && Number.isFinite(expiresAt) ? Math.max(expiresAt, floor) : floor;
}
