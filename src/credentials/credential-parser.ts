import { parseLimitTable, type LimitTable } from '../config/quota-limits';
import { ApiKeyCredential, Credential, OAuthCredential, secretSuffix } from './credential';
import { emailProblem, projectIdProblem, proxyField } from './credential-fields';

export interface ParseDefaults {
  clientId: string;
  clientSecret: string;
}

export type ParseResult = { ok: true; credential: Credential } | { ok: false; problem: string };

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * Reads one credential object in any of the shapes users have: the generator's file
 * (`client_id, client_secret, refresh_token, token_uri, project_id, user_email`), gemini-cli's
 * own `oauth_creds.json` (`access_token, refresh_token, expiry_date, …`), the older Python
 * proxies' `token`/`expiry` form, or `{ "api_key": "…" }`; any of them with its own `proxy`. Problems never include a secret.
 */
export function parseCredential(raw: unknown, defaults: ParseDefaults): ParseResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problem: 'is not a JSON object' };
  }
  const o = raw as Record<string, unknown>;
  let limits: LimitTable | undefined;
  try {
    limits = o.limits === undefined ? undefined : parseLimitTable(o.limits);
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  const route = proxyField(o.proxy);
  if ('problem' in route) return { ok: false, problem: route.problem };
  const apiKey = str(o.api_key) ?? str(o.apiKey);
  if (apiKey)
    return { ok: true, credential: { ...apiKeyCredential(apiKey, { limits }), ...route } };

  const refreshToken = str(o.refresh_token) ?? str(o.refreshToken);
  if (!refreshToken) return { ok: false, problem: 'has no refresh_token' };
  const credential: OAuthCredential = {
    kind: 'oauth',
    id: '',
    clientId: str(o.client_id) ?? defaults.clientId,
    clientSecret: str(o.client_secret) ?? defaults.clientSecret,
    refreshToken,
    accessToken: str(o.access_token) ?? str(o.token),
    expiryDate: parseExpiry(o.expiry_date ?? o.expiry),
    projectId: str(o.project_id) ?? str(o.projectId),
    email: str(o.user_email) ?? str(o.email),
    ...(limits ? { limits } : {}),
    ...route,
  };
  const problem =
    (credential.email && emailProblem('user_email', credential.email)) ||
    (credential.projectId && projectIdProblem('project_id', credential.projectId));
  if (problem) return { ok: false, problem };
  credential.id = oauthId(credential);
  return { ok: true, credential };
}

export function apiKeyCredential(
  apiKey: string,
  declared: { limits?: LimitTable; project?: string } = {},
): ApiKeyCredential {
  const credential: ApiKeyCredential = {
    kind: 'api-key',
    id: `key${secretSuffix(apiKey)}`,
    apiKey,
  };
  if (declared.limits) credential.limits = declared.limits;
  if (declared.project) credential.project = declared.project;
  return credential;
}

export function oauthId(c: Pick<OAuthCredential, 'email' | 'projectId' | 'refreshToken'>): string {
  const who = c.email ?? `oauth${secretSuffix(c.refreshToken)}`;
  return c.projectId ? `${who}/${c.projectId}` : who;
}

function parseExpiry(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
    const t = Date.parse(
      value.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`,
    );
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/** Gives every credential a unique id, suffixing `#2`, `#3` … on collisions. */
export function uniqueIds<T extends Credential>(credentials: T[]): T[] {
  const seen = new Map<string, number>();
  return credentials.map((c) => {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    return n === 1 ? c : { ...c, id: `${c.id}#${n}` };
  });
}
