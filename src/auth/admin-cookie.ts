import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readCookie } from '../http/read-cookie';
import { passwordMatches } from './password';

export const ADMIN_COOKIE = 'gemini_proxy_admin';

/** The cookie is sent to, and accepted on, the status page and its API only. */
export const ADMIN_COOKIE_PATH = '/admin';

export const ADMIN_COOKIE_MAX_AGE_MS = 12 * 60 * 60_000;

export function isAdminPath(path: string): boolean {
  return path === ADMIN_COOKIE_PATH || path.startsWith(`${ADMIN_COOKIE_PATH}/`);
}

/**
 * The `/admin` sign-in cookie, which replaces a `?key=<password>` in the page's address (where
 * history, bookmarks and screenshots keep it). Its value is derived from the password, not the
 * password itself, so that it opens `/admin` and nothing else; it needs no server-side session,
 * so it works on every replica, and a new password invalidates it.
 */
export class AdminCookie {
  private readonly token: string;
  private readonly tokenDigest: Buffer;

  constructor(private readonly password: string) {
    this.token = createHmac('sha256', password)
      .update('gemini-proxy /admin cookie v1')
      .digest('base64url');
    this.tokenDigest = digest(this.token);
  }

  /** The cookie value for a password presented in the query, or undefined when it is not the password. */
  valueFor(presented: string): string | undefined {
    return passwordMatches(presented, this.password) ? this.token : undefined;
  }

  /** Whether the request's `Cookie` header carries a valid admin cookie; compared in constant time. */
  presentIn(cookieHeader: string | undefined): boolean {
    const value = readCookie(cookieHeader, ADMIN_COOKIE);
    return value !== undefined && timingSafeEqual(digest(value), this.tokenDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
