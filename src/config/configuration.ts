import { registerAs } from '@nestjs/config';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseModelAliases } from './model-aliases-value';
import { parseLimitTable } from './quota-limits';
import { validateEnvironment } from './env.validation';
import {
  parseApiKeyEntries,
  parseApiKeys,
  parseByteSize,
  parseCredentialsJsonList,
  toBool,
} from './env-values';
import { DEFAULT_CLIENT_ID, DEFAULT_PASSWORD, EnvironmentVariables } from './environment-variables';

/** Where the variables come from: `process.env` (with `.env` merged in) or a caller's own object. */
export type EnvSource = Record<string, string | undefined>;

/** The typed slices, each built from the validated environment that `env` returns. */
function slices(env: () => EnvironmentVariables) {
  return {
    server: registerAs('server', () => {
      const e = env();
      return {
        host: e.HOST,
        port: e.PORT,
        domainName: e.DOMAIN_NAME.replace(/\/+$/, ''),
        bodyLimitBytes: parseByteSize(e.BODY_LIMIT),
        bodyLimit: e.BODY_LIMIT,
        bodyBytesInFlight: parseByteSize(e.BODY_BYTES_IN_FLIGHT),
        shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
        maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
        logFormat: e.LOG_FORMAT,
      };
    }),
    auth: registerAs('auth', () => {
      const e = env();
      return {
        password: e.GEMINI_AUTH_PASSWORD,
        isDefaultPassword: e.GEMINI_AUTH_PASSWORD === DEFAULT_PASSWORD,
      };
    }),
    oauth: registerAs('oauth', () => {
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
    }),
    credentials: registerAs('credentials', () => {
      const e = env();
      return {
        storagePath: e.PERSISTENT_STORAGE_PATH,
        jsonList: parseCredentialsJsonList(e.CREDENTIALS_JSON_LIST),
        apiKeys: parseApiKeyEntries(e.GEMINI_API_KEYS),
        googleCloudProject: e.GOOGLE_CLOUD_PROJECT?.trim() || undefined,
        vertexApiKeys: parseApiKeys(e.VERTEX_API_KEYS),
        vertexLocation: e.VERTEX_LOCATION,
        applicationCredentials: e.GOOGLE_APPLICATION_CREDENTIALS?.trim() || undefined,
      };
    }),
    upstream: registerAs('upstream', () => {
      const e = env();
      return {
        codeAssistEndpoint: e.CODE_ASSIST_ENDPOINT.replace(/\/+$/, ''),
        geminiApiEndpoint: e.GEMINI_API_ENDPOINT.replace(/\/+$/, ''),
        vertexEndpoint: e.VERTEX_ENDPOINT?.replace(/\/+$/, ''),
        tokenUrl: e.GOOGLE_OAUTH_TOKEN_URL,
        timeoutMs: e.UPSTREAM_TIMEOUT_MS,
        tokenTimeoutMs: Math.min(e.TOKEN_TIMEOUT_MS, e.UPSTREAM_TIMEOUT_MS),
        maxAttempts: e.MAX_ATTEMPTS,
        heartbeatMs: e.STREAM_HEARTBEAT_MS,
        filesMaxBytes: parseByteSize(e.FILES_MAX_BYTES),
        routeOut: {
          httpsProxy: e.https_proxy || e.HTTPS_PROXY || undefined,
          httpProxy: e.http_proxy || e.HTTP_PROXY || undefined,
          noProxy: e.no_proxy ?? e.NO_PROXY,
        },
      };
    }),
    debug: registerAs('debug', () => {
      const e = env();
      return { enabled: e.DEBUG, redact: e.DEBUG_REDACT_LOGS };
    }),
    media: registerAs('media', () => {
      const e = env();
      return {
        fetchMaxBytes: e.MEDIA_FETCH_MAX_BYTES,
        fetchTimeoutMs: e.MEDIA_FETCH_TIMEOUT_MS,
        allowPrivate: e.MEDIA_FETCH_ALLOW_PRIVATE,
        maxUrls: e.MEDIA_FETCH_MAX_URLS,
        maxTotalBytes: e.MEDIA_FETCH_MAX_TOTAL_BYTES,
        concurrency: e.MEDIA_FETCH_CONCURRENCY,
      };
    }),
    models: registerAs('models', () => ({
      aliases: parseModelAliases(env().MODEL_ALIASES),
    })),
    responses: registerAs('responses', () => {
      const e = env();
      return {
        ttlSeconds: e.RESPONSES_TTL_S,
        storeMaxBytes: parseByteSize(e.RESPONSES_STORE_MAX_BYTES),
      };
    }),
    quota: registerAs('quota', () => {
      const e = env();
      return {
        declared: parseLimitTable(e.QUOTA_LIMITS, 'QUOTA_LIMITS'),
        affinityTtlMs: e.SESSION_AFFINITY_TTL_S * 1000,
      };
    }),
    redis: registerAs('redis', () => {
      const e = env();
      return {
        url: e.REDIS_URL?.trim() || undefined,
        keyPrefix: e.REDIS_KEY_PREFIX,
        replicaId: e.REPLICA_ID ?? hostname(),
      };
    }),
    database: registerAs('database', () => {
      const e = env();
      return {
        url: e.DATABASE_URL?.trim() || undefined,
        sqliteFile: join(e.PERSISTENT_STORAGE_PATH, 'proxy.db'),
        retentionDays: e.USAGE_RETENTION_DAYS,
        redisShared: Boolean(e.REDIS_URL?.trim()),
      };
    }),
  };
}

// The exported slices give every injection point its token and type; their factories read
// process.env. AppConfigModule loads slices with the same tokens over the source it is given.
const fromProcess = slices(() => validateEnvironment(process.env));
export const serverConfig = fromProcess.server;
export const authConfig = fromProcess.auth;
export const oauthConfig = fromProcess.oauth;
export const credentialsConfig = fromProcess.credentials;
export const upstreamConfig = fromProcess.upstream;
export const debugConfig = fromProcess.debug;
export const mediaConfig = fromProcess.media;
export const modelsConfig = fromProcess.models;
export const responsesConfig = fromProcess.responses;
export const redisConfig = fromProcess.redis;
export const quotaConfig = fromProcess.quota;
export const databaseConfig = fromProcess.database;

/** Every slice over one source, validated once, when the first slice is read. */
export function configurationsFrom(read: () => EnvSource) {
  let validated: EnvironmentVariables | undefined;
  return Object.values(slices(() => (validated ??= validateEnvironment(read()))));
}

/** Read before the app exists, to pick the logger's levels; the full check comes with the app. */
export function debugRequested(source: EnvSource = process.env): boolean {
  return toBool(source.DEBUG) === true;
}

/**
 * Reads `.env` (never overriding the real environment, as ConfigModule does) and validates it
 * before Nest starts, so that a bad value ends start-up with one readable line, not a stack trace.
 */
export function checkEnvironment(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  validateEnvironment(process.env);
}
