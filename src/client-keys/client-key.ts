import { createHash, randomBytes } from 'node:crypto';
import type { ClientKeyTable } from '../database/database-schema';

export const SECRET_PREFIX = 'sk-gp-';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 43 base62 characters carry 256 bits, as much as the SHA-256 that stores them. */
const SECRET_CHARS = 43;
const ID_CHARS = 12;

/** The limits a key may carry; null means none. */
export interface KeyLimits {
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  daily_tokens: number | null;
  monthly_tokens: number | null;
  /** Epoch milliseconds. */
  expires_at: number | null;
}

/** A key as the registry and the limiter see it. */
export interface ClientKey extends KeyLimits {
  id: string;
  name: string;
  /** For a membership test per request, built once per reload. */
  allowed: ReadonlySet<string> | null;
}

function base62(length: number): string {
  // Rejection sampling: 248 is the largest multiple of 62 below 256, so no character is likelier.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function newSecret(): string {
  return SECRET_PREFIX + base62(SECRET_CHARS);
}

export function newKeyId(): string {
  return `ck_${base62(ID_CHARS)}`;
}

/**
 * SHA-256, unsalted and fast, is enough here: the secret is 256 random bits, not a password a
 * person chose, so no dictionary or brute force can reverse its hash; a slow KDF would only cost
 * every request CPU, and a salt would make the per-request lookup a scan instead of a map hit.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The last 4 characters: enough to tell keys apart, far too few to guess the rest. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

export function limitsOf(row: ClientKeyTable): KeyLimits {
  return {
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    rpm: row.rpm,
    tpm: row.tpm,
    daily_tokens: row.daily_tokens,
    monthly_tokens: row.monthly_tokens,
    expires_at: row.expires_at,
  };
}

export function toClientKey(row: ClientKeyTable): ClientKey {
  const limits = limitsOf(row);
  return {
    id: row.id,
    name: row.name,
    ...limits,
    allowed: limits.models === null ? null : new Set(limits.models),
  };
}

/** How a key is named in messages: its name and id, never its secret. */
export function describeKey(key: Pick<ClientKey, 'id' | 'name'>): string {
  return `client key "${key.name}" (${key.id})`;
}
