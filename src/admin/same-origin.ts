import { isIP } from 'node:net';

/** What a state-changing request says about where it was sent from, and where the proxy is. */
export interface OriginFacts {
  /** The `Origin` header, if any. */
  origin?: string;
  /** The `Sec-Fetch-Site` header, if any. */
  fetchSite?: string;
  /** DOMAIN_NAME's origin: the address the proxy is published at. */
  publicOrigin: string;
  /** `{protocol}://{host}` of this request: forwarded values when a trusted proxy sent them. */
  requestOrigin: string;
  /** Whether `requestOrigin` comes from X-Forwarded-Host that the `trust proxy` setting trusts. */
  forwardedByTrustedProxy: boolean;
}

/**
 * Whether a browser sent the request from the proxy's own pages. A page elsewhere cannot choose
 * its Origin, but it can choose the Host it reaches the proxy by (DNS rebinding), so the plain
 * Host header only counts when it is an IP address or localhost, which no other site can be
 * served from. `Origin: null` (sandboxed frames, data: pages, some redirects) is never ours.
 * Clients that send neither header (curl, scripts) are not browsers and pass.
 */
export function isSameOrigin(facts: OriginFacts): boolean {
  const { origin, fetchSite } = facts;
  if (origin === undefined)
    return fetchSite === undefined || fetchSite === 'same-origin' || fetchSite === 'none';
  if (origin === 'null') return false;
  if (origin === facts.publicOrigin) return true;
  if (origin !== facts.requestOrigin) return false;
  return facts.forwardedByTrustedProxy || isLocalHost(hostnameOf(facts.requestOrigin));
}

/** DOMAIN_NAME as an origin (`scheme://host[:port]`), as browsers write it in `Origin`. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

function hostnameOf(origin: string): string {
  try {
    return new URL(origin).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || isIP(hostname) !== 0;
}
