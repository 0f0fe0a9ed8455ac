import { registerAs } from '@nestjs/config';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseModelAliases } from '../models/model-aliases';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_PASSWORD,
  parseApiKeys,
  parseByteSize,
  parseCredentialsJsonList,
  validateEnvironment,
} from './env.validation';

// The factories run after ConfigModule has validated process.env (and merged .env into it).
const env = () => validateEnvironment(process.env);

export const serverConfig = registerAs('server', () => {
  const e = env();
  return {
    host: e.HOST,
    port: e.PORT,
    domainName: e.DOMAIN_NAME.replace(/\/+$/, ''),
    bodyLimitBytes: parseByteSize(e.BODY_LIMIT),
    bodyLimit: e.BODY_LIMIT,
    bodyBytesInFlight: parseByteSize(e.BODY_BYTES_IN_FLIGHT),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logFormat: e.LOG_FORMAT,
  };
});

export const authConfig = registerAs('auth', () => {
  const e = env();
  return {
    password: e.GEMINI_AUTH_PASSWORD,
    isDefaultPassword: e.GEMINI_AUTH_PASSWORD === DEFAULT_PASSWORD,
  };
});

export const oauthConfig = registerAs('oauth', () => {
  const e = env();
  return {
    clientId: e.CLIENT_ID,
    clientSecret: e.CLIENT_SECRET,
    usesDefaultClient: e.CLIENT_ID === DEFAULT_CLIENT_ID,
    authUrl: e.GOOGLE_OAUTH_AUTH_URL,
    tokenUrl: e.GOOGLE_OAUTH_TOKEN_URL,
    userInfoUrl: e.GOOGLE_USERINFO_URL,
    redirectUri: `${e.DOMAIN_NAME.replace(/\/+$/, '')}/oauth2callback`,
  };
});

export const credentialsConfig = registerAs('credentials', () => {
  const e = env();
  return {
    storagePath: e.PERSISTENT_STORAGE_PATH,
    jsonList: parseCredentialsJsonList(e.CREDENTIALS_JSON_LIST),
    apiKeys: parseApiKeys(e.GEMINI_API_KEYS),
    googleCloudProject: e.GOOGLE_CLOUD_PROJECT?.trim() || undefined,
  };
});

export const upstreamConfig = registerAs('upstream', () => {
  const e = env();
  return {
    codeAssistEndpoint: e.CODE_ASSIST_ENDPOINT.replace(/\/+$/, ''),
    geminiApiEndpoint: e.GEMINI_API_ENDPOINT.replace(/\/+$/, ''),
    timeoutMs: e.UPSTREAM_TIMEOUT_MS,
    maxAttempts: e.MAX_ATTEMPTS,
    heartbeatMs: e.STREAM_HEARTBEAT_MS,
  };
});

export const debugConfig = registerAs('debug', () => {
  const e = env();
  return { enabled: e.DEBUG, redact: e.DEBUG_REDACT_LOGS };
});

export const mediaConfig = registerAs('media', () => {
  const e = env();
  return {
    fetchMaxBytes: e.MEDIA_FETCH_MAX_BYTES,
    fetchTimeoutMs: e.MEDIA_FETCH_TIMEOUT_MS,
    allowPrivate: e.MEDIA_FETCH_ALLOW_PRIVATE,
  };
});

export const modelsConfig = registerAs('models', () => ({
  aliases: parseModelAliases(env().MODEL_ALIASES),
}));
export const responsesConfig = registerAs('responses', () => {
  const e = env();
  return { ttlSeconds: e.RESPONSES_TTL_S };
});

export const redisConfig = registerAs('redis', () => {
  const e = env();
  return {
    url: e.REDIS_URL?.trim() || undefined,
    keyPrefix: e.REDIS_KEY_PREFIX,
    replicaId: e.REPLICA_ID ?? hostname(),
  };
});

export const allConfigs = [
  serverConfig,
  authConfig,
  oauthConfig,
  credentialsConfig,
  upstreamConfig,
  debugConfig,
  mediaConfig,
  modelsConfig,
  responsesConfig,
  redisConfig,
];

/** Read before the app exists, to pick the logger's levels; the full check comes with the app. */
export function debugRequested(): boolean {
  return /^(1|true|yes|on)$/i.test(process.env.DEBUG ?? '');
}

/**
 * Reads `.env` (never overriding the real environment, as ConfigModule does) and validates it
 * before Nest starts, so that a bad value ends start-up with one readable line, not a stack trace.
 */
export function checkEnvironment(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  validateEnvironment(process.env);
}
