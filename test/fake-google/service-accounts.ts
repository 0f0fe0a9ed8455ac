import { createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { digits } from './accounts';

/** The audience Google requires in every service-account assertion, whatever host received it. */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/** A key file as the Cloud console downloads it (plus the proxy's optional `location`). */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  location?: string;
}

export interface ServiceAccountInput {
  email: string;
  projectId: string;
  location?: string;
  accessTokenTtlSeconds?: number;
}

interface ServiceAccount {
  email: string;
  projectId: string;
  keyId: string;
  publicKey: KeyObject;
  accessTokenTtlSeconds?: number;
}

export type GrantCheck =
  | { ok: true; account: ServiceAccount }
  | { ok: false; error: string; description: string; email?: string };

/** Clock skew Google tolerates on `iat`/`exp`. */
const SKEW_S = 60;

/**
 * Service accounts (each with a key pair made here, so that only its downloaded key can sign
 * for it), the access tokens granted to them, and Vertex express-mode keys.
 */
export class ServiceAccounts {
  private readonly byEmail = new Map<string, ServiceAccount>();
  private readonly tokens = new Map<string, { email: string; expiresAt: number }>();
  private readonly grants = new Map<string, number>();
  private readonly expressKeys = new Set<string>();

  constructor(private readonly defaultTtlSeconds: number) {}

  create(input: ServiceAccountInput): ServiceAccountKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = randomBytes(20).toString('hex');
    this.byEmail.set(input.email, {
      email: input.email,
      projectId: input.projectId,
      keyId,
      publicKey,
      accessTokenTtlSeconds: input.accessTokenTtlSeconds,
    });
    return {
      type: 'service_account',
      project_id: input.projectId,
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: input.email,
      client_id: digits(`sa:${input.email}`, 21),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: GOOGLE_TOKEN_AUDIENCE,
      ...(input.location ? { location: input.location } : {}),
    };
  }

  /** Deletes the account's key: later assertions signed with it fail, as after a key rotation. */
  deleteKey(email: string): void {
    const account = this.byEmail.get(email);
    if (account) account.publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  }

  /** Checks an RS256 assertion the way Google's token endpoint does. */
  check(assertion: string | undefined): GrantCheck {
    const parts = (assertion ?? '').split('.');
    if (parts.length !== 3)
      return invalid(
        'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe',
      );
    const [header, claims] = parts.slice(0, 2).map((p) => parseJson(p));
    if (!header || !claims) return invalid('Invalid JWT: not base64url JSON');
    const email = typeof claims.iss === 'string' ? claims.iss : undefined;
    const account = email ? this.byEmail.get(email) : undefined;
    if (!account) return invalid('Invalid JWT Signature.', email);
    if (email) this.grants.set(email, (this.grants.get(email) ?? 0) + 1);
    if (header.alg !== 'RS256') return invalid('Invalid JWT: alg must be RS256', email);
    const verified = createVerify('RSA-SHA256')
      .update(`${parts[0]}.${parts[1]}`)
      .verify(account.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!verified) return invalid('Invalid JWT Signature.', email);
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) {
      return invalid(
        `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUDIENCE}`,
        email,
      );
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(CLOUD_PLATFORM)) {
      return {
        ok: false,
        error: 'invalid_scope',
        description: 'Invalid OAuth scope or ID token audience provided.',
        email,
      };
    }
    const now = Date.now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(iat <= now + SKEW_S) || !(exp > now - SKEW_S) || exp - iat > 3600) {
      return invalid(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
        email,
      );
    }
    return { ok: true, account };
  }

  issue(account: ServiceAccount): { accessToken: string; expiresIn: number } {
    const expiresIn = account.accessTokenTtlSeconds ?? this.defaultTtlSeconds;
    const accessToken = `ya29.c.fake-sa-${randomBytes(18).toString('base64url')}`;
    this.tokens.set(accessToken, {
      email: account.email,
      expiresAt: Date.now() + expiresIn * 1000,
    });
    return { accessToken, expiresIn };
  }

  /** The service account behind a live bearer token. */
  fromAuthorization(header: string | undefined): ServiceAccount | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    if (!issued || issued.expiresAt <= Date.now()) return undefined;
    return this.byEmail.get(issued.email);
  }

  grantCount(email: string): number {
    return this.grants.get(email) ?? 0;
  }

  addExpressKey(key: string): void {
    this.expressKeys.add(key);
  }

  hasExpressKey(key: string): boolean {
    return this.expressKeys.has(key);
  }

  clearCounts(): void {
    this.grants.clear();
  }
}

function invalid(description: string, email?: string): GrantCheck {
  return { ok: false, error: 'invalid_grant', description, email };
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
