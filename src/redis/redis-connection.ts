import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { redactRedisSecrets, redisAddress } from './redis-address';

/**
 * Most any hot-path call may wait on Redis. Commands are never queued while Redis is away
 * (`enableOfflineQueue: false`): they fail at once and the caller goes on with local state.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

export interface RedisConnectionOptions {
  url: string;
  keyPrefix: string;
  replicaId: string;
}

/**
 * The replicas' shared Redis: one client for commands and one in subscriber mode for the state
 * events. Start-up never waits for it; while it is away every user works on local state, and
 * the change is logged once each way, not per request. On each (re)connection the listeners
 * registered with `onReady` run, so that the stores resynchronise what they missed.
 */
export class RedisConnection {
  readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly logger = new Logger('SharedState');
  private readonly readyListeners: (() => void)[] = [];
  private readonly channels = new Map<string, (message: string) => void>();
  private readonly digests = new Map<string, string>();
  private readonly closing: (() => Promise<void>)[] = [];
  private up = false;
  private everUp = false;
  private downLogged = false;
  private closed = false;

  constructor(private readonly options: RedisConnectionOptions) {
    this.instanceId = `${options.replicaId}/${randomUUID().slice(0, 8)}`;
    // Loaded here, not at start-up: only a proxy with REDIS_URL set builds a connection, and
    // ioredis costs the others about 25 ms of start-up and its code in the idle heap.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis } = require('ioredis') as typeof import('ioredis');
    const common = {
      connectTimeout: CONNECT_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Reconnects for as long as the process lives, at most every two seconds.
      retryStrategy: (times: number) => Math.min(100 * times, MAX_RECONNECT_DELAY_MS),
    };
    this.client = new Redis(options.url, {
      ...common,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // Requests issued in the same tick (cursor, counters, events) leave in one write.
      enableAutoPipelining: true,
    });
    // Subscribes again itself on each connection: ioredis's own resubscription queues the
    // command, which the disabled offline queue would refuse.
    this.subscriber = new Redis(options.url, { ...common, autoResubscribe: false });
    this.subscriber.on('ready', () => {
      if (this.channels.size > 0)
        this.subscriber.subscribe(...this.channels.keys()).catch(() => undefined);
    });
    this.client.on('ready', () => this.changed(true));
    this.client.on('close', () => this.changed(false));
    this.client.on('error', (error: Error) => this.failed(error));
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) =>
      this.channels.get(channel)?.(message),
    );
  }

  get isUp(): boolean {
    return this.up;
  }

  get replicaId(): string {
    return this.options.replicaId;
  }

  /** Tells this process's own events apart, even from a replica that took the same name. */
  readonly instanceId: string;

  /** Every key and channel of this deployment starts with REDIS_KEY_PREFIX. */
  key(name: string): string {
    return `${this.options.keyPrefix}${name}`;
  }

  /** Runs a Lua script by its digest, sending its text only when Redis has not seen it yet. */
  async eval(lua: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.digests.get(lua);
    if (!sha) this.digests.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
    try {
      return await this.client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!/NOSCRIPT/.test((error as Error).message)) throw error;
      return this.client.eval(lua, keys.length, ...keys, ...args);
    }
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
    if (this.up) listener();
  }

  /** Delivers the channel's messages; the subscription survives reconnections. */
  subscribe(channel: string, handler: (message: string) => void): void {
    this.channels.set(channel, handler);
    if (this.subscriber.status === 'ready')
      this.subscriber.subscribe(channel).catch(() => undefined);
  }

  /** Work to finish while the connection is still open at shutdown (counters not yet sent). */
  beforeClose(task: () => Promise<void>): void {
    this.closing.push(task);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closing.map((task) => task()));
    this.closed = true;
    this.client.disconnect();
    this.subscriber.disconnect();
  }

  private changed(up: boolean): void {
    if (up === this.up || this.closed) return;
    this.up = up;
    if (up) {
      this.logger.log(
        `${this.everUp ? 'Redis is back' : 'Connected to Redis'} at ${redisAddress(this.options.url)}; ` +
          `sharing the pool as replica ${this.options.replicaId}`,
      );
      this.everUp = true;
      this.downLogged = false;
      for (const listener of this.readyListeners) listener();
    } else {
      this.logDown('the connection closed');
    }
  }

  private failed(error: Error): void {
    if (!this.up) this.logDown(error.message);
  }

  /** Once per outage: every failed command or reconnection attempt would otherwise log again. */
  private logDown(why: string): void {
    if (this.downLogged || this.closed) return;
    this.downLogged = true;
    this.logger.warn(
      `Redis at ${redisAddress(this.options.url)} is unreachable (${redactRedisSecrets(why, this.options.url)}); ` +
        'serving on this replica’s local state until it returns',
    );
  }
}
