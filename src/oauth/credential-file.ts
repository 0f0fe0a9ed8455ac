import { createHash } from 'node:crypto';
import { credentialFileName } from '../credentials/credential-file-store';

export interface NewCredential {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenUri: string;
  projectId: string;
  email: string;
  accessToken?: string;
  expiryDate?: number;
}

/** DESIGN §6's file shape, plus the fresh access token so the proxy's first call skips a refresh. */
export function credentialFileContent(c: NewCredential): Record<string, unknown> {
  return {
    client_id: c.clientId,
    client_secret: c.clientSecret,
    refresh_token: c.refreshToken,
    token_uri: c.tokenUri,
    project_id: c.projectId,
    user_email: c.email,
    ...(c.accessToken ? { access_token: c.accessToken } : {}),
    ...(c.expiryDate !== undefined ? { expiry_date: c.expiryDate } : {}),
  };
}

export interface ExistingFile {
  /** The parsed content of the file already at the preferred name; undefined if unreadable. */
  content?: unknown;
}

/**
 * `oauth_creds_{email}_{project}.json`. The seed's "safe" rule maps different accounts to one name
 * (`a.b@x.com` and `a_b@x.com`), so when that name already belongs to another account or project
 * the file gets a short hash of both instead of overwriting someone else's credential.
 */
export function chooseCredentialFileName(
  email: string,
  projectId: string,
  existing: ExistingFile | undefined,
): string {
  const preferred = credentialFileName(email, projectId);
  if (!existing || belongsTo(existing.content, email, projectId)) return preferred;
  const tag = createHash('sha256').update(`${email.toLowerCase()}\n${projectId}`).digest('hex');
  return preferred.replace(/\.json$/, `_${tag.slice(0, 8)}.json`);
}

function belongsTo(content: unknown, email: string, projectId: string): boolean {
  if (!content || typeof content !== 'object') return false;
  const c = content as Record<string, unknown>;
  return (
    typeof c.user_email === 'string' &&
    c.user_email.toLowerCase() === email.toLowerCase() &&
    c.project_id === projectId
  );
}
