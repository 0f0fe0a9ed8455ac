import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  isURL,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { existsSync } from 'node:fs';
import { ModelAliasesError, parseModelAliases } from '../models/model-aliases';

export const DEFAULT_PASSWORD = 'a-secure-password';
// gemini-cli's public installed-app client: Google only accepts loopback redirect URIs for it.
export const DEFAULT_CLIENT_ID =
  '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = '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';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

const url = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Every variable the proxy reads, with its default. Only this folder reads process.env. */
export class EnvironmentVariables {
  @IsUrl(url) DOMAIN_NAME = 'http://localhost:7860';
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 7860;
  @IsString() HOST = '0.0.0.0';
  @IsString() @MinLength(1) GEMINI_AUTH_PASSWORD = DEFAULT_PASSWORD;
  @IsString() @MinLength(1) CLIENT_ID = DEFAULT_CLIENT_ID;
  @IsString() @MinLength(1) CLIENT_SECRET = DEFAULT_CLIENT_SECRET;
  @IsString() @MinLength(1) PERSISTENT_STORAGE_PATH = 'credentials';
  @IsString() CREDENTIALS_JSON_LIST = '[]';
  @IsString() GEMINI_API_KEYS = '';
  @IsOptional() @IsString() GOOGLE_CLOUD_PROJECT?: string;
  @Transform(toBool) @IsBoolean() DEBUG = false;
  @Transform(toBool) @IsBoolean() DEBUG_REDACT_LOGS = true;
  @IsUrl(url) CODE_ASSIST_ENDPOINT = 'https://cloudcode-pa.googleapis.com';
  @IsUrl(url) GEMINI_API_ENDPOINT = 'https://generativelanguage.googleapis.com';
  @IsUrl(url) GOOGLE_OAUTH_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
  @IsUrl(url) GOOGLE_OAUTH_TOKEN_URL = 'https://oauth2.googleapis.com/token';
  @IsUrl(url) GOOGLE_USERINFO_URL = 'https://www.googleapis.com/oauth2/v2/userinfo';
  @Transform(toInt) @IsInt() @Min(1000) UPSTREAM_TIMEOUT_MS = 300_000;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) MAX_ATTEMPTS = 3;
  @Transform(toInt) @IsInt() @Min(100) STREAM_HEARTBEAT_MS = 15_000;
  @Matches(/^\d+(b|kb|mb|gb)?$/i, { message: 'BODY_LIMIT must look like 24mb, 512kb or 1048576' })
  BODY_LIMIT = '24mb';
  @Matches(/^\d+(b|kb|mb|gb)?$/i, {
    message: 'BODY_BYTES_IN_FLIGHT must look like 64mb, 512kb or 1048576',
  })
  BODY_BYTES_IN_FLIGHT = '64mb';
  @Transform(toInt) @IsInt() @Min(0) SHUTDOWN_GRACE_MS = 10_000;
  @IsIn(['text', 'json']) LOG_FORMAT: 'text' | 'json' = 'text';
  @Transform(toInt) @IsInt() @Min(1024) MEDIA_FETCH_MAX_BYTES = 20 * 1024 * 1024;
  @Transform(toInt) @IsInt() @Min(100) MEDIA_FETCH_TIMEOUT_MS = 15_000;
  @Transform(toBool) @IsBoolean() MEDIA_FETCH_ALLOW_PRIVATE = false;
  @IsString() MODEL_ALIASES = '{}';
  @Transform(toInt) @IsInt() @Min(1) RESPONSES_TTL_S = 86_400;
  @Transform(toInt) @IsInt() @Min(0) @Max(1000) MEDIA_FETCH_MAX_URLS = 32;
  @Transform(toInt) @IsInt() @Min(1024) MEDIA_FETCH_MAX_TOTAL_BYTES = 20 * 1024 * 1024;
  @Transform(toInt) @IsInt() @Min(1) @Max(64) MEDIA_FETCH_CONCURRENCY = 4;
  /** Unset: the host follows each credential's location (DESIGN §4). */
  @IsOptional() @IsString() VERTEX_ENDPOINT?: string;
  @Matches(/^[a-z][a-z0-9-]*$/, {
    message: 'VERTEX_LOCATION must be a Google Cloud location such as global, us-central1 or eu',
  })
  VERTEX_LOCATION = 'global';
  @IsString() VERTEX_API_KEYS = '';
  @IsOptional() @IsString() GOOGLE_APPLICATION_CREDENTIALS?: string;
  /** Shared state for several replicas; unset, every replica keeps its own state in memory. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] },
    { message: 'REDIS_URL must look like redis://[:password@]host:6379[/db] or rediss://…' },
  )
  REDIS_URL?: string;
  @Matches(/^[\w.:{}-]{1,64}$/, {
    message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or ._:{}- characters',
  })
  REDIS_KEY_PREFIX = 'gemini-proxy:';
  /** The name this replica gives itself on /admin and in shared events; the hostname by default. */
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/, { message: 'REPLICA_ID must be 1-64 of [A-Za-z0-9_.-]' })
  REPLICA_ID?: string;
}

export class ConfigValidationError extends Error {}

function describe(error: ValidationError): string {
  const value = JSON.stringify(error.value);
  const shown = /PASSWORD|SECRET|KEYS|JSON_LIST|REDIS_URL/.test(error.property)
    ? ''
    : ` (got ${value})`;
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}: ${reasons}${shown}`;
}

/** Validates raw environment values and fills defaults; throws one readable line per bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = new EnvironmentVariables();
  const present: Record<string, unknown> = {};
  for (const key of Object.keys(known)) {
    const value = raw[key];
    // An empty value means "use the default", as in most .env conventions.
    if (value !== undefined && value !== '') present[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(`Invalid configuration: ${errors.map(describe).join(' | ')}`);
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
  if (endpoint !== undefined && !isURL(endpoint, url)) {
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
