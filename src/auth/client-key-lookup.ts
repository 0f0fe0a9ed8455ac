/**
 * Where the password guard finds the client keys (DESIGN §13) it also accepts on the model routes.
 * The keys are a feature above this ring: it implements this, and the app binds it at composition.
 */
export const CLIENT_KEY_LOOKUP = Symbol('CLIENT_KEY_LOOKUP');

export interface PresentedClientKey {
  /** Names the key in an answer, never with its secret. */
  label: string;
  /** Epoch milliseconds, or null for a key that does not expire. */
  expiresAt: number | null;
}

export interface ClientKeyLookup {
  /** The live key whose secret hashes to `digest` (hex SHA-256), or undefined. */
  find(digest: string): PresentedClientKey | undefined;
  /** Remembers that the key `find` gave for `digest` authenticated the request, for its limits and the ledger. */
  admit(req: object, digest: string): void;
}
