import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../time/clock';
import { readCookie } from '../http/read-cookie';
import { passwordMatches } from './password';

export const ADMIN_COOKIE = 'gemini_proxy_admin';

/** The cookie is sent to, and accepted on, the status page and its API only. */
export const ADMIN_COOKIE_PATH = '/admin';

/** A working day: long enough not to nag, short enough that a copied cookie soon stops working. */
export const ADMIN_COOKIE_MAX_AGE_MS = 12 * 60 * 60_000;

/** `{expiry in Unix seconds}.{HMAC-SHA256 of it, base64url}` */
const COOKIE_VALUE = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export function isAdminPath(path: string): boolean {
  return path === ADMIN_COOKIE_PATH || path.startsWith(`${ADMIN_COOKIE_PATH}/`);
}

/**
 * The `/admin` sign-in cookie, which replaces a `?key=<password>` in the page's address (where
 * history, bookmarks and screenshots keep it). It carries its own expiry, signed with a key
 * derived from the password: it needs no server-side session, so it works on every replica; it
 * opens `/admin` and nothing else; it stops working after ADMIN_COOKIE_MAX_AGE_MS whatever the
 * browser does with Max-Age (a stolen copy does not work forever); and a new password voids it.
 */
export class AdminCookie {
  private readonly key: Buffer;

  constructor(
    private readonly password: string,
    private readonly clock: Clock,
  ) {
    this.key = createHmac('sha256', password).update('gemini-proxy /admin cookie v2').digest();
  }

  /** A fresh cookie value for a password presented in the query, or undefined when it is not the password. */
  valueFor(presented: string): string | undefined {
    if (!passwordMatches(presented, this.password)) return undefined;
    const expiry = String(Math.floor((this.clock.now() + ADMIN_COOKIE_MAX_AGE_MS) / 1000));
    return `${expiry}.${this.sign(expiry)}`;
  }

  /**
   * Whether the request's `Cookie` header carries an admin cookie signed with this password's key
   * (compared in constant time) whose expiry has not passed.
   */
  presentIn(cookieHeader: string | undefined): boolean {
    const parts = COOKIE_VALUE.exec(readCookie(cookieHeader, ADMIN_COOKIE) ?? '');
    if (!parts) return false;
    const [, expiry, signature] = parts;
    const signed = timingSafeEqual(Buffer.from(signature), Buffer.from(this.sign(expiry)));
    return signed && Number(expiry) * 1000 > this.clock.now();
  }

  /** Signs the expiry's exact text, so that no other spelling of the same number passes. */
  private sign(expiry: string): string {
    return createHmac('sha256', this.key).update(`expiry=${expiry}`).digest('base64url');
  }
}
