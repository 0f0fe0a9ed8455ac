/**
 * What of REDIS_URL may be shown: scheme, host, port and database, never the URL as given.
 * ioredis reads credentials from the userinfo (`redis://user:secret@host`) and takes every query
 * parameter as a connection option (`?password=…`, `?username=…`, `?sentinelPassword=…`), so no
 * part of the URL beyond these four is known to be harmless.
 */
export function redisAddress(url: string): string {
  const parsed = parseRedisUrl(url);
  if (!parsed) return '(REDIS_URL, unparseable)';
  const host = parsed.hostname || 'localhost';
  const port = parsed.port || '6379';
  const db = /^\/\d+$/.test(parsed.pathname) ? parsed.pathname.slice(1) : '0';
  return `${parsed.protocol}//${host}:${port}/${db}`;
}

/** Shorter values would blank ordinary words of a message (`?family=4`, `?db=1`). */
const MIN_SECRET_LENGTH = 4;

/**
 * Blanks every part of REDIS_URL that may be a secret wherever a message (an ioredis error, a
 * Redis reply) quotes it: the whole URL, its userinfo and its query values, raw and decoded.
 */
export function redactRedisSecrets(text: string, url: string): string {
  const secrets = new Set<string>([url]);
  const parsed = parseRedisUrl(url);
  if (parsed) {
    const raw = [parsed.username, parsed.password];
    const query = parsed.search.slice(1).split('&');
    for (const pair of query) raw.push(pair.slice(pair.indexOf('=') + 1));
    for (const value of raw) {
      secrets.add(value);
      secrets.add(safeDecode(value));
    }
    parsed.searchParams.forEach((value) => secrets.add(value));
  }
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('***');
  return out;
}

/** As ioredis reads it: a URL without a scheme is taken for `redis://`. */
function parseRedisUrl(url: string): URL | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `redis://${url}`);
  } catch {
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
