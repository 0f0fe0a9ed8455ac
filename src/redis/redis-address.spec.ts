import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';
import { freePort, RedisServer } from '../../test/support/redis-server';
import { waitFor } from '../../test/support/wait';
import { redactRedisSecrets, redisAddress } from './redis-address';
import { RedisConnection } from './redis-connection';

const SECRET = 'S3cr3t-Pa55/w%rd';
const ENCODED = encodeURIComponent(SECRET);

/** Every way ioredis takes a password from a URL (see ioredis's parseURL). */
const FORMS: [string, (host: string) => string, string][] = [
  ['userinfo without user', (h) => `redis://:${ENCODED}@${h}/0`, 'redis://HOST/0'],
  ['userinfo with user', (h) => `redis://alice:${ENCODED}@${h}/2`, 'redis://HOST/2'],
  ['query parameter', (h) => `redis://${h}/0?password=${ENCODED}`, 'redis://HOST/0'],
  [
    'query user and password',
    (h) => `redis://${h}?username=alice&password=${ENCODED}`,
    'redis://HOST/0',
  ],
  ['TLS with userinfo', (h) => `rediss://default:${ENCODED}@${h}/1`, 'rediss://HOST/1'],
  ['sentinel password', (h) => `redis://${h}/0?sentinelPassword=${ENCODED}`, 'redis://HOST/0'],
];

describe('redisAddress', () => {
  it.each(FORMS)(
    'shows a URL with a %s as scheme, host, port and db only',
    (_form, make, shown) => {
      const address = redisAddress(make('cache.internal:6380'));
      expect(address).toBe(shown.replace('HOST', 'cache.internal:6380'));
    },
  );

  it('fills in the port and database ioredis defaults to', () => {
    expect(redisAddress(`redis://:${ENCODED}@cache.internal`)).toBe(
      'redis://cache.internal:6379/0',
    );
  });

  it('shows nothing of a URL it cannot parse', () => {
    expect(redisAddress(`redis://:${SECRET}@[bad`)).toBe('(REDIS_URL, unparseable)');
  });
});

describe('redactRedisSecrets', () => {
  it.each(FORMS)('blanks the password of a %s, raw or decoded, from a message', (_f, make) => {
    const url = make('cache.internal:6380');
    const text = redactRedisSecrets(`failed: ${url} (password ${SECRET}, sent as ${ENCODED})`, url);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(ENCODED);
    expect(text).not.toContain('w%rd');
  });
});

/** The lines Nest's Logger would have written, captured. */
class CapturedLog implements LoggerService {
  readonly lines: string[] = [];
  log = (message: unknown) => void this.lines.push(String(message));
  warn = (message: unknown) => void this.lines.push(String(message));
  error = (message: unknown) => void this.lines.push(String(message));
  debug = (message: unknown) => void this.lines.push(String(message));
  verbose = (message: unknown) => void this.lines.push(String(message));
}

describe('RedisConnection logs', () => {
  let redis: RedisServer;
  let log: CapturedLog;
  let connection: RedisConnection | undefined;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const admin = new Redis(redis.url);
    await admin.call('ACL', 'SETUSER', 'alice', 'on', `>${SECRET}`, '~*', '&*', '+@all');
    await admin.call('CONFIG', 'SET', 'requirepass', SECRET);
    admin.disconnect();
  });

  afterAll(() => redis.stop());

  beforeEach(() => {
    log = new CapturedLog();
    Logger.overrideLogger(log);
  });

  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    Logger.overrideLogger(new ConsoleLogger());
  });

  it.each(FORMS.filter(([form]) => !/TLS|sentinel/.test(form)))(
    'never writes the password of a %s when it connects',
    async (_form, make) => {
      const url = make(`127.0.0.1:${redis.port}`);
      connection = new RedisConnection({ url, keyPrefix: 'log:', replicaId: 'r1' });
      await waitFor(() => connection!.isUp, 5_000, 'the connection');
      const connected = log.lines.find((line) => line.startsWith('Connected to Redis'));
      expect(connected).toContain(`redis://127.0.0.1:${redis.port}/`);
      expect(log.lines.join('\n')).not.toMatch(/S3cr3t|Pa55/);
    },
  );

  it.each(FORMS)(
    'never writes the password of a %s when Redis is unreachable',
    async (_f, make) => {
      const url = make(`127.0.0.1:${await freePort()}`);
      connection = new RedisConnection({ url, keyPrefix: 'log:', replicaId: 'r1' });
      await waitFor(
        () => log.lines.some((line) => line.includes('unreachable')),
        5_000,
        'the warning',
      );
      expect(log.lines.join('\n')).not.toMatch(/S3cr3t|Pa55/);
    },
  );

  it('never writes the password when Redis refuses it', async () => {
    const url = `redis://127.0.0.1:${redis.port}/0?password=${encodeURIComponent(`${SECRET}-wrong`)}`;
    connection = new RedisConnection({ url, keyPrefix: 'log:', replicaId: 'r1' });
    await waitFor(
      () => log.lines.some((line) => line.includes('unreachable')),
      5_000,
      'the warning',
    );
    expect(log.lines.join('\n')).toMatch(/WRONGPASS|invalid/);
    expect(log.lines.join('\n')).not.toMatch(/S3cr3t|Pa55/);
  });
});
