import type { ClientKeyLookup } from '../auth/client-key-lookup';
import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { RevisionWatch, WatchedTable } from '../redis/revision-watch';
import { REDIS_CONNECTION } from '../redis/redis.module';
import { ClientKey, describeKey, toClientKey } from './client-key';
import { ClientKeyRepository } from './client-key-repository';

/** How often each replica asks the database whether the keys changed (one indexed row). */
export const KEYS_POLL_MS = 500;
const CHANNEL = 'keys:changed';

/**
 * The live keys in memory, by the hex SHA-256 of their secret, so that authenticating a request
 * is one map lookup. Replicas follow a change within a second: the replica that made it publishes
 * on Redis when REDIS_URL is set, and every replica also polls the table's revision every
 * KEYS_POLL_MS, which alone keeps replicas that share only PostgreSQL in step.
 */
@Injectable()
export class ClientKeyRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ClientKeys');
  private byHash = new Map<string, ClientKey>();
  private byId = new Map<string, ClientKey>();
  private readonly requestKeys = new WeakMap<object, ClientKey>();
  private failure?: string;
  private readonly watch: RevisionWatch;

  constructor(
    private readonly repository: ClientKeyRepository,
    @Optional() @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
  ) {
    const table: WatchedTable = {
      ready: repository.ready,
      readable: () => repository.migrated,
      revision: () => repository.revision(),
      read: () => this.read(),
      failed: (error) => {
        const reason = repository.describe(error);
        // Keys already loaded keep working; the next poll tries again.
        if (reason !== this.failure)
          this.logger.warn(`Client keys not refreshed (kept as last read): ${reason}`);
        this.failure = reason;
      },
    };
    this.watch = new RevisionWatch(table, KEYS_POLL_MS, redis, CHANNEL);
  }

  onModuleInit(): void {
    this.watch.start();
  }

  onModuleDestroy(): void {
    this.watch.stop();
  }

  /** The live (not revoked) key whose secret hashes to `hash`. */
  lookup(hash: string): ClientKey | undefined {
    return this.byHash.get(hash);
  }

  /** The registry as the password guard sees it (auth's port, bound in ClientKeysModule). */
  readonly forGuard: ClientKeyLookup = {
    find: (digest) => {
      const key = this.lookup(digest);
      return key && { label: describeKey(key), expiresAt: key.expires_at };
    },
    admit: (req, digest) => {
      const key = this.lookup(digest);
      if (key) this.bind(req, key);
    },
  };

  byKeyId(id: string): ClientKey | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Remembers which key authenticated a request, for the limits and the ledger. */
  bind(req: object, key: ClientKey): void {
    this.requestKeys.set(req, key);
  }

  keyOf(req: object): ClientKey | undefined {
    return this.requestKeys.get(req);
  }

  /** After a change made here: reloads now and tells the other replicas to. */
  changed(): Promise<void> {
    return this.watch.changed();
  }

  private async read(): Promise<void> {
    const rows = await this.repository.all();
    const byHash = new Map<string, ClientKey>();
    const byId = new Map<string, ClientKey>();
    for (const row of rows) {
      if (row.revoked_at !== null) continue;
      const key = toClientKey(row);
      byHash.set(row.secret_hash, key);
      byId.set(key.id, key);
    }
    this.byHash = byHash;
    this.byId = byId;
    if (this.failure) this.logger.log('Client keys are read from the database again');
    this.failure = undefined;
  }
}
