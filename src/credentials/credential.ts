export type CredentialKind = 'oauth' | 'api-key';

/** An OAuth account that reaches Google through the Code Assist API. */
export interface OAuthCredential {
  kind: 'oauth';
  /** Stable, secret-free id: the email (or a token suffix) plus the project. */
  id: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
  /** Epoch milliseconds at which `accessToken` expires. */
  expiryDate?: number;
  projectId?: string;
  email?: string;
  /** The file the credential was read from; refreshed tokens and discovered projects go back there. */
  sourceFile?: string;
}

/** A Gemini API (AI Studio) key. */
export interface ApiKeyCredential {
  kind: 'api-key';
  id: string;
  apiKey: string;
}

export type Credential = OAuthCredential | ApiKeyCredential;

/** The last `n` characters of a secret, the most any log or page may show. */
export function secretSuffix(secret: string | undefined, n = 5): string {
  if (!secret) return '(none)';
  return `...${secret.slice(-Math.min(n, 5))}`;
}

/** A human label for logs and the status page: email or key suffix, never the secret. */
export function describeCredential(c: Credential): string {
  return c.kind === 'oauth'
    ? `${c.email ?? `oauth ${secretSuffix(c.refreshToken)}`}${c.projectId ? ` (${c.projectId})` : ''}`
    : `api-key ${secretSuffix(c.apiKey)}`;
}
