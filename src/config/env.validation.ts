import { existsSync } from 'node:fs';
import { ModelAliasesError, parseModelAliases } from '../models/model-aliases';

export const DEFAULT_PASSWORD = 'a-secure-password';
// gemini-cli's public installed-app client: Google only accepts loopback redirect URIs for it.
export const DEFAULT_CLIENT_ID =
  '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = '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';

/**
 * One variable's rule: converts the raw string (or leaves it as it is) and returns the reasons it
 * is wrong, in class-validator's wording, which this file used before (and which start-up logs and
 * scripts may match on). Hand-written: class-validator, class-transformer, validator and
 * libphonenumber-js cost about 55 ms of start-up and 3 MB of idle heap for these few checks.
 */
type Rule = (value: unknown, name: string) => { value: unknown; reasons: string[] };

const toBool = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = (value: unknown): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

const bool: Rule = (raw, name) => {
  const value = toBool(raw);
  return { value, reasons: typeof value === 'boolean' ? [] : [`${name} must be a boolean value`] };
};
const int =
  (min?: number, max?: number): Rule =>
  (raw, name) => {
    const value = toInt(raw);
    const reasons: string[] = [];
    const n = typeof value === 'number' ? value : NaN;
    if (!Number.isInteger(n)) reasons.push(`${name} must be an integer number`);
    if (min !== undefined && !(n >= min)) reasons.push(`${name} must not be less than ${min}`);
    if (max !== undefined && !(n <= max)) reasons.push(`${name} must not be greater than ${max}`);
    return { value, reasons };
  };
const string =
  (minLength = 0): Rule =>
  (value, name) => {
    if (typeof value !== 'string') return { value, reasons: [`${name} must be a string`] };
    return {
      value,
      reasons:
        value.length < minLength
          ? [`${name} must be longer than or equal to ${minLength} characters`]
          : [],
    };
  };
/** An absolute URL with one of `schemes` and a host; `message` replaces the default reason. */
const url =
  (schemes: string[], message?: string): Rule =>
  (value, name) => {
    let ok = false;
    if (typeof value === 'string' && !/\s/.test(value)) {
      try {
        const parsed = new URL(value);
        ok = schemes.includes(parsed.protocol.slice(0, -1)) && parsed.hostname !== '';
      } catch {
        ok = false;
      }
    }
    return { value, reasons: ok ? [] : [message ?? `${name} must be a URL address`] };
  };
const matches =
  (pattern: RegExp, message: string): Rule =>
  (value) => ({
    value,
    reasons: typeof value === 'string' && pattern.test(value) ? [] : [message],
  });
const oneOf =
  (allowed: string[]): Rule =>
  (value, name) => ({
    value,
    reasons: allowed.includes(value as string)
      ? []
      : [`${name} must be one of the following values: ${allowed.join(', ')}`],
  });

const httpUrl = url(['http', 'https']);
const SIZE = /^\d+(b|kb|mb|gb)?$/i;

/** The rule of each variable; the optional ones are checked only when set. */
const RULES: Record<string, Rule> = {
  DOMAIN_NAME: httpUrl,
  PORT: int(0, 65535),
  HOST: string(),
  GEMINI_AUTH_PASSWORD: string(1),
  CLIENT_ID: string(1),
  CLIENT_SECRET: string(1),
  PERSISTENT_STORAGE_PATH: string(1),
  CREDENTIALS_JSON_LIST: string(),
  GEMINI_API_KEYS: string(),
  GOOGLE_CLOUD_PROJECT: string(),
  DEBUG: bool,
  DEBUG_REDACT_LOGS: bool,
  CODE_ASSIST_ENDPOINT: httpUrl,
  GEMINI_API_ENDPOINT: httpUrl,
  GOOGLE_OAUTH_AUTH_URL: httpUrl,
  GOOGLE_OAUTH_TOKEN_URL: httpUrl,
  GOOGLE_USERINFO_URL: httpUrl,
  UPSTREAM_TIMEOUT_MS: int(1000),
  TOKEN_TIMEOUT_MS: int(100),
  MAX_ATTEMPTS: int(1, 100),
  STREAM_HEARTBEAT_MS: int(100),
  BODY_LIMIT: matches(SIZE, 'BODY_LIMIT must look like 24mb, 512kb or 1048576'),
  BODY_BYTES_IN_FLIGHT: matches(SIZE, 'BODY_BYTES_IN_FLIGHT must look like 64mb, 512kb or 1048576'),
  SHUTDOWN_GRACE_MS: int(0),
  LOG_FORMAT: oneOf(['text', 'json']),
  MEDIA_FETCH_MAX_BYTES: int(1024),
  MEDIA_FETCH_TIMEOUT_MS: int(100),
  MEDIA_FETCH_ALLOW_PRIVATE: bool,
  MODEL_ALIASES: string(),
  RESPONSES_TTL_S: int(1),
  MEDIA_FETCH_MAX_URLS: int(0, 1000),
  MEDIA_FETCH_MAX_TOTAL_BYTES: int(1024),
  MEDIA_FETCH_CONCURRENCY: int(1, 64),
  REDIS_URL: url(
    ['redis', 'rediss'],
    'REDIS_URL must look like redis://[:password@]host:6379[/db] or rediss://…',
  ),
  REDIS_KEY_PREFIX: matches(
    /^[\w.:{}-]{1,64}$/,
    'REDIS_KEY_PREFIX must be 1-64 letters, digits or ._:{}- characters',
  ),
  REPLICA_ID: matches(/^[\w.-]{1,64}$/, 'REPLICA_ID must be 1-64 of [A-Za-z0-9_.-]'),
  VERTEX_ENDPOINT: string(),
  VERTEX_LOCATION: matches(
    /^[a-z][a-z0-9-]*$/,
    'VERTEX_LOCATION must be a Google Cloud location such as global, us-central1 or eu',
  ),
  VERTEX_API_KEYS: string(),
  GOOGLE_APPLICATION_CREDENTIALS: string(),
};

/** Every variable the proxy reads, with its default. Only this folder reads process.env. */
export class EnvironmentVariables {
  DOMAIN_NAME = 'http://localhost:7860';
  PORT = 7860;
  HOST = '0.0.0.0';
  GEMINI_AUTH_PASSWORD = DEFAULT_PASSWORD;
  CLIENT_ID = DEFAULT_CLIENT_ID;
  CLIENT_SECRET = DEFAULT_CLIENT_SECRET;
  PERSISTENT_STORAGE_PATH = 'credentials';
  CREDENTIALS_JSON_LIST = '[]';
  GEMINI_API_KEYS = '';
  GOOGLE_CLOUD_PROJECT?: string;
  DEBUG = false;
  DEBUG_REDACT_LOGS = true;
  CODE_ASSIST_ENDPOINT = 'https://cloudcode-pa.googleapis.com';
  GEMINI_API_ENDPOINT = 'https://generativelanguage.googleapis.com';
  GOOGLE_OAUTH_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
  GOOGLE_OAUTH_TOKEN_URL = 'https://oauth2.googleapis.com/token';
  GOOGLE_USERINFO_URL = 'https://www.googleapis.com/oauth2/v2/userinfo';
  UPSTREAM_TIMEOUT_MS = 300_000;
  /** The wait for one credential's access token (grant or refresh), capped at UPSTREAM_TIMEOUT_MS. */
  TOKEN_TIMEOUT_MS = 15_000;
  MAX_ATTEMPTS = 3;
  STREAM_HEARTBEAT_MS = 15_000;
  BODY_LIMIT = '24mb';
  BODY_BYTES_IN_FLIGHT = '64mb';
  SHUTDOWN_GRACE_MS = 10_000;
  LOG_FORMAT: 'text' | 'json' = 'text';
  MEDIA_FETCH_MAX_BYTES = 20 * 1024 * 1024;
  MEDIA_FETCH_TIMEOUT_MS = 15_000;
  MEDIA_FETCH_ALLOW_PRIVATE = false;
  MODEL_ALIASES = '{}';
  RESPONSES_TTL_S = 86_400;
  MEDIA_FETCH_MAX_URLS = 32;
  MEDIA_FETCH_MAX_TOTAL_BYTES = 20 * 1024 * 1024;
  MEDIA_FETCH_CONCURRENCY = 4;
  /** Unset: the host follows each credential's location (DESIGN §4). */
  VERTEX_ENDPOINT?: string;
  VERTEX_LOCATION = 'global';
  VERTEX_API_KEYS = '';
  GOOGLE_APPLICATION_CREDENTIALS?: string;
  /** Shared state for several replicas; unset, every replica keeps its own state in memory. */
  REDIS_URL?: string;
  REDIS_KEY_PREFIX = 'gemini-proxy:';
  /** The name this replica gives itself on /admin and in shared events; the hostname by default. */
  REPLICA_ID?: string;
}

export class ConfigValidationError extends Error {}

function describe(name: string, value: unknown, reasons: string[]): string {
  const shown = /PASSWORD|SECRET|KEYS|JSON_LIST|REDIS_URL/.test(name)
    ? ''
    : ` (got ${JSON.stringify(value)})`;
  return `${name}: ${reasons.join('; ')}${shown}`;
}

/** Validates raw environment values and fills defaults; throws one readable line per bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = new EnvironmentVariables();
  const fields = env as unknown as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(RULES)) {
    // An empty value means "use the default", as in most .env conventions.
    const given = raw[key] === '' ? undefined : raw[key];
    const current = given ?? fields[key];
    if (current === undefined) continue; // optional and unset
    const { value, reasons } = rule(current, key);
    if (reasons.length > 0) problems.push(describe(key, value, reasons));
    else fields[key] = value;
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(`Invalid configuration: ${problems.join(' | ')}`);
  }
  parseCredentialsJsonList(env.CREDENTIALS_JSON_LIST);
  parseApiKeys(env.GEMINI_API_KEYS);
  parseApiKeys(env.VERTEX_API_KEYS, 'VERTEX_API_KEYS');
  if (parseByteSize(env.BODY_BYTES_IN_FLIGHT) < parseByteSize(env.BODY_LIMIT)) {
    throw new ConfigValidationError(
      `Invalid configuration: BODY_BYTES_IN_FLIGHT (${env.BODY_BYTES_IN_FLIGHT}) must be at least BODY_LIMIT (${env.BODY_LIMIT}), or no body of the largest size could ever be received`,
    );
  }
  checkModelAliases(env.MODEL_ALIASES);
  checkVertex(env);
  return env;
}

function checkVertex(env: EnvironmentVariables): void {
  // `{location}` is replaced per credential, so the URL is checked with a location in its place.
  const endpoint = env.VERTEX_ENDPOINT?.replaceAll('{location}', 'us-central1');
  if (endpoint !== undefined && httpUrl(endpoint, 'VERTEX_ENDPOINT').reasons.length > 0) {
    throw new ConfigValidationError(
      `Invalid configuration: VERTEX_ENDPOINT: must be an http(s) URL, optionally with {location} in it (got ${JSON.stringify(env.VERTEX_ENDPOINT)})`,
    );
  }
  const file = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (file && !existsSync(file)) {
    throw new ConfigValidationError(
      `Invalid configuration: GOOGLE_APPLICATION_CREDENTIALS: no file at ${JSON.stringify(file)}`,
    );
  }
}

function checkModelAliases(raw: string): void {
  try {
    parseModelAliases(raw);
  } catch (error) {
    if (!(error instanceof ModelAliasesError)) throw error;
    throw new ConfigValidationError(`Invalid configuration: MODEL_ALIASES: ${error.message}`);
  }
}

export function parseCredentialsJsonList(raw: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.trim() === '' ? '[]' : raw);
  } catch {
    throw new ConfigValidationError(
      'Invalid configuration: CREDENTIALS_JSON_LIST: must be a JSON array of credential objects (it is not valid JSON)',
    );
  }
  if (!Array.isArray(parsed)) {
    throw new ConfigValidationError(
      'Invalid configuration: CREDENTIALS_JSON_LIST: must be a JSON array of credential objects',
    );
  }
  return parsed;
}

export function parseApiKeys(raw: string, name = 'GEMINI_API_KEYS'): string[] {
  const text = raw.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigValidationError(
        `Invalid configuration: ${name}: looks like a JSON array but is not valid JSON`,
      );
    }
    if (!Array.isArray(parsed) || !parsed.every((k) => typeof k === 'string')) {
      throw new ConfigValidationError(
        `Invalid configuration: ${name}: a JSON value must be an array of strings`,
      );
    }
    return [...new Set(parsed.map((k) => k.trim()).filter(Boolean))];
  }
  return [
    ...new Set(
      text
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ];
}

/** Parses "50mb" style sizes into bytes. */
export function parseByteSize(value: string): number {
  const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!m) throw new ConfigValidationError(`Invalid size ${value}`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit] ?? 1;
  return Number(m[1]) * factor;
}
