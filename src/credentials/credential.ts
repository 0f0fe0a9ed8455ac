import type { LimitTable } from '../config/quota-limits';

export type CredentialKind = 'oauth' | 'api-key' | 'vertex';

/** Limits the operator declared for this credential (a key's or a file's `limits`, DESIGN §12). */
interface DeclaredLimits {
  limits?: LimitTable;
}

/** An OAuth account that reaches Google through the Code Assist API. */
export interface OAuthCredential extends DeclaredLimits {
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
  /** The outbound proxy its file names (DESIGN §14): its model calls and token refreshes take it. */
  proxy?: string;
}

/** A Gemini API (AI Studio) key. */
export interface ApiKeyCredential extends DeclaredLimits {
  kind: 'api-key';
  id: string;
  apiKey: string;
  /** The key's Google project, when the operator named it: keys of one project share its quota. */
  project?: string;
  /** The outbound proxy the operator named for this key (DESIGN §14): its calls take it. */
  proxy?: string;
}

/** A Vertex AI service account: a key file with its project, used in one location. */
export interface VertexServiceAccountCredential extends DeclaredLimits {
  kind: 'vertex';
  mode: 'service-account';
  /** `{client_email}/{location}`: never the key. */
  id: string;
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  projectId: string;
  location: string;
  sourceFile?: string;
  /** The outbound proxy its key file names (DESIGN §14): its calls and token grants take it. */
  proxy?: string;
}

/** A Vertex AI express-mode API key: the global host, no project, no embeddings. */
export interface VertexExpressCredential extends DeclaredLimits {
  kind: 'vertex';
  mode: 'express';
  id: string;
  apiKey: string;
  location: 'global';
  proxy?: string;
}

export type VertexCredential = VertexServiceAccountCredential | VertexExpressCredential;

export type Credential = OAuthCredential | ApiKeyCredential | VertexCredential;

/** The account e-mail and project a status view shows, where the kind has them. */
export function accountOf(c: Credential): { email?: string; projectId?: string } {
  switch (c.kind) {
    case 'oauth':
      return { email: c.email, projectId: c.projectId };
    case 'vertex':
      return c.mode === 'service-account' ? { email: c.clientEmail, projectId: c.projectId } : {};
    case 'api-key':
      return {};
  }
}

/**
 * The most of one credential field (an e-mail, a project, a file name) any log line, table or
 * page shows. The fields are validated when a credential is read; this bounds whatever reaches
 * a display anyway (a file name, a value that passed as plausible), so that one file can never
 * write megabytes of log or forge a line.
 */
export const MAX_SHOWN_FIELD = 120;

/** `text` without control characters, cut to `max` characters with an ellipsis. */
export function shownField(text: string, max = MAX_SHOWN_FIELD): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The last `n` characters of a secret, the most any log or page may show. */
export function secretSuffix(secret: string | undefined, n = 5): string {
  if (!secret) return '(none)';
  return `...${secret.slice(-Math.min(n, 5))}`;
}

/** A human label for logs and the status page: email or key suffix, never the secret. */
export function describeCredential(c: Credential): string {
  switch (c.kind) {
    case 'oauth':
      return `${c.email ?? `oauth ${secretSuffix(c.refreshToken)}`}${c.projectId ? ` (${c.projectId})` : ''}`;
    case 'api-key':
      return `api-key ${secretSuffix(c.apiKey)}`;
    case 'vertex':
      return c.mode === 'service-account'
        ? `vertex ${c.clientEmail} (${c.projectId}, ${c.location})`
        : `vertex express ${secretSuffix(c.apiKey)}`;
  }
}
