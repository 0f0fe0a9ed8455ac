import { createHash, randomBytes } from 'node:crypto';

export interface PkcePair {
  /** Kept on the server until the code exchange; never leaves it before then. */
  codeVerifier: string;
  /** `BASE64URL(SHA256(codeVerifier))`, sent to the consent page with `code_challenge_method=S256`. */
  codeChallenge: string;
}

/** RFC 7636 S256: a 43-character verifier from 32 random bytes, and its challenge. */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}
