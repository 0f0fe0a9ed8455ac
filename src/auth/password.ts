import { createHash, timingSafeEqual } from 'node:crypto';

export interface PresentedCredentials {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}

const first = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/**
 * Every password the request presents, in the five ways clients send one: `Authorization:
 * Bearer`, Basic auth with any user name, `x-goog-api-key` (Gemini SDKs), `x-api-key`, `?key=`.
 */
export function presentedPasswords({ headers, query }: PresentedCredentials): string[] {
  const found: string[] = [];
  const authorization = first(headers.authorization)?.trim();
  if (authorization) {
    const [scheme, ...rest] = authorization.split(' ');
    const value = rest.join(' ').trim();
    if (/^bearer$/i.test(scheme)) found.push(value);
    else if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      found.push(colon >= 0 ? decoded.slice(colon + 1) : decoded);
    }
  }
  for (const header of ['x-goog-api-key', 'x-api-key']) {
    const value = first(headers[header])?.trim();
    if (value) found.push(value);
  }
  if (typeof query.key === 'string' && query.key !== '') found.push(query.key);
  return found;
}

/** Compares in constant time; hashing first makes the lengths equal and leaks nothing about them. */
export function passwordMatches(candidate: string, expected: string): boolean {
  return digestMatches(candidate, passwordDigest(expected));
}

export function passwordDigest(password: string): Buffer {
  return createHash('sha256').update(password).digest();
}

/** As passwordMatches, against a digest computed once at boot rather than on every request. */
export function digestMatches(candidate: string, expected: Buffer): boolean {
  return timingSafeEqual(passwordDigest(candidate), expected);
}
