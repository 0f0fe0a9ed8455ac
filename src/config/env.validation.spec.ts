import { validateEnvironment } from './env.validation';
import { parseApiKeyEntries, parseApiKeys, parseByteSize } from './env-values';
import { parseLimitTable } from '../config/quota-limits';

describe('validateEnvironment', () => {
  it('fills every default from an empty environment', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(7860);
    expect(env.DOMAIN_NAME).toBe('http://localhost:7860');
    expect(env.PERSISTENT_STORAGE_PATH).toBe('credentials');
    expect(env.MAX_ATTEMPTS).toBe(3);
    expect(env.DEBUG).toBe(false);
    expect(env.DEBUG_REDACT_LOGS).toBe(true);
    expect(env.CODE_ASSIST_ENDPOINT).toBe('https://cloudcode-pa.googleapis.com');
    expect(env).toMatchObject({
      MEDIA_FETCH_MAX_URLS: 32,
      MEDIA_FETCH_MAX_TOTAL_BYTES: 20 * 1024 * 1024,
      MEDIA_FETCH_CONCURRENCY: 4,
    });
  });

  it('converts numbers and booleans given as strings', () => {
    const env = validateEnvironment({
      PORT: '8080',
      DEBUG: '1',
      DEBUG_REDACT_LOGS: 'false',
      MAX_ATTEMPTS: '5',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      DEBUG: true,
      DEBUG_REDACT_LOGS: false,
      MAX_ATTEMPTS: 5,
    });
  });

  it('defaults Vertex to the global location with no endpoint override', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({ VERTEX_LOCATION: 'global', VERTEX_API_KEYS: '' });
    expect(env.VERTEX_ENDPOINT).toBeUndefined();
  });

  it.each([
    ['VERTEX_ENDPOINT', 'not a url', /VERTEX_ENDPOINT: must be an http\(s\) URL/],
    ['VERTEX_LOCATION', 'US Central', /VERTEX_LOCATION must be a Google Cloud location/],
    ['VERTEX_API_KEYS', '["a",', /VERTEX_API_KEYS: looks like a JSON array/],
    [
      'GOOGLE_APPLICATION_CREDENTIALS',
      '/nowhere/sa.json',
      /GOOGLE_APPLICATION_CREDENTIALS: no file/,
    ],
  ])('stops on a bad %s, naming it', (name, value, message) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(message);
  });

  it('treats a blank GOOGLE_APPLICATION_CREDENTIALS as unset, not as a missing file', () => {
    expect(() => validateEnvironment({ GOOGLE_APPLICATION_CREDENTIALS: '  ' })).not.toThrow();
  });

  it('accepts a VERTEX_ENDPOINT with {location} in it', () => {
    const endpoint = 'https://{location}-aiplatform.example.com';
    expect(validateEnvironment({ VERTEX_ENDPOINT: endpoint }).VERTEX_ENDPOINT).toBe(endpoint);
  });

  it('treats an empty value as unset', () => {
    expect(validateEnvironment({ PORT: '' }).PORT).toBe(7860);
  });

  it('keeps stored responses a day unless RESPONSES_TTL_S says otherwise, and at least a second', () => {
    expect(validateEnvironment({}).RESPONSES_TTL_S).toBe(86_400);
    expect(validateEnvironment({ RESPONSES_TTL_S: '600' }).RESPONSES_TTL_S).toBe(600);
    expect(() => validateEnvironment({ RESPONSES_TTL_S: '0' })).toThrow(/RESPONSES_TTL_S/);
  });

  it('bounds stored responses at 256mb unless RESPONSES_STORE_MAX_BYTES says otherwise', () => {
    expect(validateEnvironment({}).RESPONSES_STORE_MAX_BYTES).toBe('256mb');
    expect(
      validateEnvironment({ RESPONSES_STORE_MAX_BYTES: '1gb' }).RESPONSES_STORE_MAX_BYTES,
    ).toBe('1gb');
    expect(() => validateEnvironment({ RESPONSES_STORE_MAX_BYTES: 'lots' })).toThrow(
      /RESPONSES_STORE_MAX_BYTES must look like/,
    );
    expect(() => validateEnvironment({ RESPONSES_STORE_MAX_BYTES: '0' })).toThrow(
      /RESPONSES_STORE_MAX_BYTES must be more than 0/,
    );
  });

  it('accepts redis:// and rediss:// URLs with a password for REDIS_URL, and leaves it unset by default', () => {
    expect(validateEnvironment({}).REDIS_URL).toBeUndefined();
    expect(validateEnvironment({}).REDIS_KEY_PREFIX).toBe('gemini-proxy:');
    for (const url of [
      'redis://127.0.0.1:6379',
      'rediss://default:s3cret@cache.example.com:6380/2',
    ])
      expect(validateEnvironment({ REDIS_URL: url }).REDIS_URL).toBe(url);
  });

  it('rejects a REDIS_URL of another scheme without echoing it (it may hold a password)', () => {
    const attempt = () => validateEnvironment({ REDIS_URL: 'http://user:hunter2@cache:6379' });
    expect(attempt).toThrow(/REDIS_URL must look like redis:\/\//);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('rejects a REDIS_KEY_PREFIX with spaces or of more than 64 characters', () => {
    expect(() => validateEnvironment({ REDIS_KEY_PREFIX: 'a b' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(() => validateEnvironment({ REDIS_KEY_PREFIX: 'x'.repeat(65) })).toThrow(
      /REDIS_KEY_PREFIX/,
    );
  });

  it.each([
    ['PORT', 'abc', /PORT: .*integer.*\(got "abc"\)/],
    ['PORT', '70000', /PORT/],
    ['DEBUG', 'maybe', /DEBUG: .*boolean/],
    ['CODE_ASSIST_ENDPOINT', 'not a url', /CODE_ASSIST_ENDPOINT/],
    ['MAX_ATTEMPTS', '0', /MAX_ATTEMPTS/],
    ['BODY_LIMIT', 'lots', /BODY_LIMIT must look like/],
    ['BODY_BYTES_IN_FLIGHT', 'lots', /BODY_BYTES_IN_FLIGHT must look like/],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT/],
    ['CREDENTIALS_JSON_LIST', '{"a":1}', /CREDENTIALS_JSON_LIST: must be a JSON array/],
    ['CREDENTIALS_JSON_LIST', '[{', /CREDENTIALS_JSON_LIST: .*not valid JSON/],
    ['GEMINI_API_KEYS', '["a",', /GEMINI_API_KEYS/],
    ['GEMINI_API_KEYS', '[{"proxy":"http://p"}]', /GEMINI_API_KEYS: item 0 must be a key/],
    [
      'GEMINI_API_KEYS',
      '[{"key":"k","proxy":"ftp://p:21"}]',
      /item 0: "proxy" must look like http:\/\/\[user:password@\]host:port/,
    ],
    [
      'HTTPS_PROXY',
      'proxy.example:3128',
      /HTTPS_PROXY must look like http:\/\/\[user:password@\]host:port/,
    ],
    ['HTTP_PROXY', 'socks5://p:1080', /HTTP_PROXY must look like/],
    ['MODEL_ALIASES', '{claude:1}', /^Invalid configuration: MODEL_ALIASES: .*not valid JSON/],
    ['MODEL_ALIASES', '["x"]', /MODEL_ALIASES: must be a JSON object/],
    ['MEDIA_FETCH_CONCURRENCY', '0', /MEDIA_FETCH_CONCURRENCY/],
    ['MEDIA_FETCH_MAX_URLS', '-1', /MEDIA_FETCH_MAX_URLS/],
    ['MEDIA_FETCH_MAX_TOTAL_BYTES', '10', /MEDIA_FETCH_MAX_TOTAL_BYTES/],
  ])('rejects %s=%j with a line naming the variable', (name, value, pattern) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(pattern);
  });

  it('never quotes a bad proxy URL, which may carry a password', () => {
    const attempt = () =>
      validateEnvironment({
        HTTPS_PROXY: 'gw:hunter2@proxy.example:3128',
        GEMINI_API_KEYS: '[{"key":"k","proxy":"ftp://u:swordfish@p"}]',
      });
    expect(attempt).toThrow(/HTTPS_PROXY/);
    expect(attempt).not.toThrow(/hunter2|swordfish/);
  });

  it('accepts GEMINI_API_KEYS entries that are objects with a proxy and limits (DESIGN §4)', () => {
    const keys =
      '[{"key":"AIza-1","proxy":"http://p:3128","limits":{"gemini-2.5-pro":{"rpd":50}}}]';
    expect(() => validateEnvironment({ GEMINI_API_KEYS: keys })).not.toThrow();
  });

  it('sizes request bodies for a small server: 24mb each, 64mb in flight at once', () => {
    const env = validateEnvironment({});
    expect(env.BODY_LIMIT).toBe('24mb');
    expect(env.BODY_BYTES_IN_FLIGHT).toBe('64mb');
  });

  it('rejects BODY_BYTES_IN_FLIGHT smaller than BODY_LIMIT', () => {
    expect(() => validateEnvironment({ BODY_LIMIT: '32mb', BODY_BYTES_IN_FLIGHT: '16mb' })).toThrow(
      /BODY_BYTES_IN_FLIGHT must be at least BODY_LIMIT \(32mb\).*\(got "16mb"\)/,
    );
  });

  it('never echoes a password in its error', () => {
    expect(() => validateEnvironment({ GEMINI_AUTH_PASSWORD: 'x', PORT: 'bad' })).toThrow(/PORT/);
    try {
      validateEnvironment({ CREDENTIALS_JSON_LIST: '[{"refresh_token":"1//secret-token"' });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-token');
    }
  });

  it('reports every bad variable in one line', () => {
    expect(() => validateEnvironment({ PORT: 'x', DEBUG: 'y' })).toThrow(
      /PORT.*\|.*DEBUG|DEBUG.*\|.*PORT/,
    );
  });
});

describe('parseApiKeys', () => {
  it.each([
    ['', []],
    ['k1', ['k1']],
    ['k1, k2 ,,k3', ['k1', 'k2', 'k3']],
    ['["k1","k2"]', ['k1', 'k2']],
    ['k1,k1', ['k1']],
  ])('reads %j', (raw, keys) => {
    expect(parseApiKeys(raw)).toEqual(keys);
  });
});

describe('parseApiKeyEntries', () => {
  it.each([
    ['k1,k2', [{ key: 'k1' }, { key: 'k2' }]],
    [
      '[{"key":"k1","proxy":"http://p:3128","limits":{"gemini-2.5-flash":{"rpm":5}}},"k2"]',
      [
        {
          key: 'k1',
          proxy: 'http://p:3128',
          limits: parseLimitTable({ 'gemini-2.5-flash': { rpm: 5 } }),
        },
        { key: 'k2' },
      ],
    ],
    ['[{"key":"k1"},{"key":"k1","proxy":"http://p"}]', [{ key: 'k1' }]],
  ])('reads %s', (raw, entries) => {
    expect(parseApiKeyEntries(raw)).toEqual(entries);
  });

  it.each([
    ['[{"proxy":"http://p"}]', /item 0 must be a key string or an object with a "key" string/],
    ['[{"key":"AIza-secret","proxy":3}]', /item 0: "proxy" must be a URL string/],
    ['[{"key":"AIza-secret","limits":[1]}]', /item 0: limits must be a JSON object/],
    ['[{"key":"AIza-secret","project":7}]', /item 0: "project" must be a string/],
  ])('refuses %s, naming the item and never the key', (raw, message) => {
    expect(() => parseApiKeyEntries(raw)).toThrow(message);
    expect(() => parseApiKeyEntries(raw)).not.toThrow(/AIza-secret/);
  });
});

describe('parseByteSize', () => {
  it.each([
    ['50mb', 50 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['1048576', 1048576],
    ['1GB', 1024 ** 3],
  ])('reads %s', (raw, bytes) => {
    expect(parseByteSize(raw)).toBe(bytes);
  });
});
