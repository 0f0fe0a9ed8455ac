import { existsSync } from 'node:fs';
import { parseModelAliases } from './model-aliases-value';
import { parseLimitTable } from './quota-limits';
import {
  Bool,
  Check,
  Env,
  Int,
  OneOf,
  Optional,
  Parses,
  Pattern,
  Size,
  Text,
  Url,
} from './env-declaration';
import {
  isUrlWith,
  parseApiKeyEntries,
  parseApiKeys,
  parseByteSize,
  parseCredentialsJsonList,
  SIZE,
} from './env-values';

export const DEFAULT_PASSWORD = 'a-secure-password';
// gemini-cli's public installed-app client: Google only accepts loopback redirect URIs for it.
export const DEFAULT_CLIENT_ID =
  '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = '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';

const GEMINI_CLI_CLIENT = "gemini-cli's public installed-app client (loopback redirects only)";

/**
 * Every variable the proxy reads, each declared once: its type and check (the decorators), its
 * default (the initial value) and its line in the configuration table (`@Env`). Validation at boot
 * and the documentation's table follow from here; `configuration.ts` hands the values to the
 * features as typed slices. Only this folder reads process.env.
 *
 * A new variable is one field here (`@Env('what it does')`, a check such as `@Int(1)`, the default
 * as initial value, or `?:` with `@Optional()` when unset is allowed), one line in the slice that
 * needs it, then `npm run docs:config` for the table.
 */
export class EnvironmentVariables {
  @Env("public base URL; the generator's OAuth redirect is `DOMAIN_NAME/oauth2callback`")
  @Url()
  DOMAIN_NAME = 'http://localhost:7860';

  @Env('listen port')
  @Int(0, 65535)
  PORT = 7860;

  @Env('bind address')
  @Text()
  HOST = '0.0.0.0';

  @Env('the proxy password (start-up warns loudly while it is the default)', { secret: true })
  @Text(1)
  GEMINI_AUTH_PASSWORD = DEFAULT_PASSWORD;

  @Env('Google OAuth client used to log accounts in and refresh their tokens', {
    defaultText: GEMINI_CLI_CLIENT,
  })
  @Text(1)
  CLIENT_ID = DEFAULT_CLIENT_ID;

  @Env("that client's secret", { secret: true, defaultText: GEMINI_CLI_CLIENT })
  @Text(1)
  CLIENT_SECRET = DEFAULT_CLIENT_SECRET;

  @Env(
    'folder of `oauth_creds_*.json` files and Vertex service-account key files (any `*.json`); watched, so changes apply without a restart',
  )
  @Text(1)
  PERSISTENT_STORAGE_PATH = 'credentials';

  @Env('JSON array of credential objects; when non-empty it replaces file loading', {
    secret: true,
  })
  @Parses(parseCredentialsJsonList)
  CREDENTIALS_JSON_LIST = '[]';

  @Env(
    'Gemini API keys, comma-separated or a JSON array of strings or of objects `{"key", "proxy"?, "limits"?, "project"?}` ([quota-aware routing](quota.md#where-the-limits-come-from))',
    { secret: true },
  )
  @Parses(parseApiKeyEntries)
  GEMINI_API_KEYS = '';

  @Env('project for OAuth accounts whose file has none (Standard/Enterprise)')
  @Optional()
  @Text()
  GOOGLE_CLOUD_PROJECT?: string;

  @Env(
    'one service-account key file added to the pool as a [Vertex AI](#vertex-ai) credential (a missing file stops start-up)',
  )
  @Optional()
  @Check(isFileOrBlank)
  GOOGLE_APPLICATION_CREDENTIALS?: string;

  @Env(
    'location for Vertex credentials whose key file names none: `global`, `us`, `eu`, or a region such as `us-central1`',
  )
  @Pattern(
    /^[a-z][a-z0-9-]*$/,
    '$property must be a Google Cloud location such as global, us-central1 or eu',
  )
  VERTEX_LOCATION = 'global';

  @Env(
    'Vertex AI express-mode API keys, comma-separated or a JSON array (generate, stream and count only)',
    { secret: true },
  )
  @Parses(parseApiKeys)
  VERTEX_API_KEYS = '';

  @Env('distinct credentials tried per request before giving up')
  @Int(1, 100)
  MAX_ATTEMPTS = 3;

  @Env(
    'time limit on Google: for a plain call, the whole call; for a stream, the wait for the first event and each silence between events (a stream that keeps producing is never cut)',
  )
  @Int(1000)
  UPSTREAM_TIMEOUT_MS = 300_000;

  @Env(
    "time limit on one credential's access token (an OAuth refresh or a service account's grant, the wait for another replica's included); past it the request goes on with the next credential. At most `UPSTREAM_TIMEOUT_MS`",
  )
  @Int(100)
  TOKEN_TIMEOUT_MS = 15_000;

  @Env('SSE comment interval while the model is silent')
  @Int(100)
  STREAM_HEARTBEAT_MS = 15_000;

  @Env(
    'largest request body, counted after gzip/deflate/br decompression (read only after the password is accepted; Google refuses inline requests much over 20 MB, so raise it only for API keys that take more)',
  )
  @Size('24mb')
  BODY_LIMIT = '24mb';

  @Env(
    'largest file accepted by `POST /upload/v1beta/files`; upload bytes stream to Google and never count against `BODY_LIMIT` (Google takes up to 2 GB)',
  )
  @Size('2gb')
  FILES_MAX_BYTES = '2gb';

  @Env(
    'request-body bytes held at once across all requests; past it, 503 with `Retry-After` (at least `BODY_LIMIT`)',
  )
  @Size('64mb')
  @Check(atLeastBodyLimit)
  BODY_BYTES_IN_FLIGHT = '64mb';

  @Env(
    'limits the operator knows (AI Studio\'s rate-limit page) for Gemini API keys that declare none of their own: `{"<model or prefix*>": {"rpm": N, "tpm": N, "rpd": N}}`; unset, limits are learned from Google\'s 429s ([quota-aware routing](quota.md))',
  )
  @Parses((raw) => parseLimitTable(raw, 'the value'))
  QUOTA_LIMITS = '{}';

  @Env(
    "how long a conversation keeps to the credential that served it, so Gemini's implicit cache (per project) pays off; `0` turns it off ([quota-aware routing](quota.md))",
  )
  @Int(0)
  SESSION_AFFINITY_TTL_S = 600;

  @Env('on SIGTERM/SIGINT, how long in-flight requests and streams may finish')
  @Int(0)
  SHUTDOWN_GRACE_MS = 10_000;

  @Env(
    'connections one client address (an IPv4 address, or an IPv6 /64) may hold open at once; further ones are closed unanswered. Behind a reverse proxy all connections share its address: raise it there',
  )
  @Int(1)
  MAX_CONNECTIONS_PER_ADDRESS = 1_000;

  @Env('request log lines as `text` or `json`')
  @OneOf(['text', 'json'])
  LOG_FORMAT: 'text' | 'json' = 'text';

  @Env('largest image the proxy fetches for an `http(s)` image URL, in bytes')
  @Int(1024)
  MEDIA_FETCH_MAX_BYTES = 20 * 1024 * 1024;

  @Env('time limit on fetching one image URL')
  @Int(100)
  MEDIA_FETCH_TIMEOUT_MS = 15_000;

  @Env('allow image URLs on loopback/private addresses')
  @Bool()
  MEDIA_FETCH_ALLOW_PRIVATE = false;

  @Env('image URLs fetched per request (past it, a 400 naming the variable)')
  @Int(0, 1000)
  MEDIA_FETCH_MAX_URLS = 32;

  @Env('image URLs of one request fetched at once')
  @Int(1, 64)
  MEDIA_FETCH_CONCURRENCY = 4;

  @Env('bytes of all images fetched for one request (past it, a 400 naming the variable)')
  @Int(1024)
  MEDIA_FETCH_MAX_TOTAL_BYTES = 20 * 1024 * 1024;

  @Env(
    'JSON object from client model names to Gemini model names, e.g. `{"claude-sonnet-4-5":"gemini-3.1-pro-preview","claude-*":"gemini-3.8-flash"}`; a key ending in `*` matches a prefix (exact keys win, then the longest prefix); applied in every dialect before the pool; exact aliases are listed by the model routes ([more](#anthropic-messages-api-claude-code-anthropic-sdk))',
  )
  @Parses(parseModelAliases)
  MODEL_ALIASES = '{}';

  @Env(
    'how long stored `/v1/responses` results are kept (for `previous_response_id`, `GET`, `input_items`), in seconds; continuing a conversation renews its earlier turns',
  )
  @Int(1)
  RESPONSES_TTL_S = 86_400;

  @Env(
    'bytes of stored `/v1/responses` turns each process keeps in memory (past it the least recently stored or continued go first; `/admin` shows what it holds)',
  )
  @Size('256mb')
  @Check(positiveSize)
  RESPONSES_STORE_MAX_BYTES = '256mb';

  @Env(
    'shared state for several replicas ([Running several replicas](#running-several-replicas)): `redis://[:password@]host:6379[/db]` or `rediss://` (TLS); the password is never logged',
    { secret: true, defaultText: 'unset: state in memory' },
  )
  @Optional()
  @Url(
    ['redis', 'rediss'],
    '$property must look like redis://[:password@]host:6379[/db] or rediss://…',
  )
  REDIS_URL?: string;

  @Env('prefix of every Redis key and channel, so that several deployments can share one Redis')
  @Pattern(/^[\w.:{}-]{1,64}$/, '$property must be 1-64 letters, digits or ._:{}- characters')
  REDIS_KEY_PREFIX = 'gemini-proxy:';

  @Env(
    'where the usage ledger lives: unset, an SQLite file `proxy.db` in `PERSISTENT_STORAGE_PATH`; `postgres://user:pass@host:5432/db` puts it in PostgreSQL, shared by every replica ([Usage ledger](operations.md#usage-ledger)); the password is never logged',
    { secret: true, defaultText: 'unset: SQLite in `PERSISTENT_STORAGE_PATH`' },
  )
  @Optional()
  @Url(
    ['postgres', 'postgresql'],
    '$property must look like postgres://user:password@host:5432/database',
  )
  DATABASE_URL?: string;

  @Env('days per-request usage rows are kept; hourly and daily totals are kept for good')
  @Int(1, 36_500)
  USAGE_RETENTION_DAYS = 90;

  @Env("this replica's name on `/admin` and in shared events", { defaultText: 'the hostname' })
  @Optional()
  @Pattern(/^[\w.-]{1,64}$/, '$property must be 1-64 of [A-Za-z0-9_.-]')
  REPLICA_ID?: string;

  @Env('verbose logs: credential used per request, upstream request and response')
  @Bool()
  DEBUG = false;

  @Env('replace prompt and response text with its length in debug logs')
  @Bool()
  DEBUG_REDACT_LOGS = true;

  @Env('Code Assist base URL')
  @Url()
  CODE_ASSIST_ENDPOINT = 'https://cloudcode-pa.googleapis.com';

  @Env('Gemini API base URL')
  @Url()
  GEMINI_API_ENDPOINT = 'https://generativelanguage.googleapis.com';

  @Env('consent page')
  @Url()
  GOOGLE_OAUTH_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';

  @Env('token endpoint (code exchange and refresh)')
  @Url()
  GOOGLE_OAUTH_TOKEN_URL = 'https://oauth2.googleapis.com/token';

  @Env('user-info endpoint')
  @Url()
  GOOGLE_USERINFO_URL = 'https://www.googleapis.com/oauth2/v2/userinfo';

  @Env(
    'outbound proxy for every `https://` call to Google, token endpoint included (http:// or https://; credentials in the URL are never shown); a credential may name its own ([Outbound proxies](outbound-proxies.md))',
    { secret: true },
  )
  @Optional()
  @Url(['http', 'https'], '$property must look like http://[user:password@]host:port')
  HTTPS_PROXY?: string;

  @Env('the same, lowercase (the usual convention; wins over `HTTPS_PROXY` when both are set)', {
    secret: true,
  })
  @Optional()
  @Url(['http', 'https'], '$property must look like http://[user:password@]host:port')
  https_proxy?: string;

  @Env(
    'outbound proxy for `http://` calls to Google (and for `https://` ones when `HTTPS_PROXY` is unset)',
    {
      secret: true,
    },
  )
  @Optional()
  @Url(['http', 'https'], '$property must look like http://[user:password@]host:port')
  HTTP_PROXY?: string;

  @Env('the same, lowercase (wins over `HTTP_PROXY` when both are set)', { secret: true })
  @Optional()
  @Url(['http', 'https'], '$property must look like http://[user:password@]host:port')
  http_proxy?: string;

  @Env(
    'hosts that bypass `HTTPS_PROXY`/`HTTP_PROXY`: comma-separated names (`example.com` also covers its subdomains, a leading `.` or `*.` too), `host:port`, or `*` for all',
  )
  @Optional()
  @Text()
  NO_PROXY?: string;

  @Env('the same, lowercase (wins over `NO_PROXY` when both are set)')
  @Optional()
  @Text()
  no_proxy?: string;

  @Env(
    "Vertex AI base URL; `{location}` in it is replaced by each credential's location; express-mode keys always use the global host",
    {
      defaultText:
        'by location: `global` → `https://aiplatform.googleapis.com`, `us`/`eu` → `https://aiplatform.{location}.rep.googleapis.com`, else `https://{location}-aiplatform.googleapis.com`',
    },
  )
  @Optional()
  @Check(isEndpointTemplate)
  VERTEX_ENDPOINT?: string;
}

function positiveSize(value: unknown): string | undefined {
  if (!SIZE.test(String(value))) return undefined; // `@Size()` says why
  return parseByteSize(String(value)) < 1
    ? '$property must be more than 0 (a store of no bytes keeps nothing)'
    : undefined;
}

function atLeastBodyLimit(value: unknown, env: Record<string, unknown>): string | undefined {
  const [inFlight, limit] = [String(value), String(env.BODY_LIMIT)];
  if (!SIZE.test(inFlight) || !SIZE.test(limit)) return undefined; // `@Size()` says why
  return parseByteSize(inFlight) < parseByteSize(limit)
    ? `$property must be at least BODY_LIMIT (${limit}), or no body of the largest size could ever be received`
    : undefined;
}

// `{location}` is replaced per credential, so the URL is checked with a location in its place.
function isEndpointTemplate(value: unknown): string | undefined {
  return isUrlWith(String(value).replaceAll('{location}', 'us-central1'), ['http', 'https'])
    ? undefined
    : 'must be an http(s) URL, optionally with {location} in it';
}

function isFileOrBlank(value: unknown): string | undefined {
  const file = String(value).trim();
  return file === '' || existsSync(file) ? undefined : 'no file at that path';
}
