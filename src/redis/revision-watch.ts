import type { RedisConnection } from './redis-connection';

/** The table a watch keeps in memory, as its owner reads it. */
export interface WatchedTable {
  /** Resolves once the table can be read (migrations done). */
  ready: Promise<unknown>;
  /** False while migrations run: nothing is read then. */
  readable(): boolean;
  /** The table's revision, raised by every change (src/database/revisions.ts). */
  revision(): Promise<number>;
  /** Reads the rows into the owner's memory; `first` on the first read of the process. */
  read(first: boolean): Promise<void>;
  /** A revision or rows that could not be read: what was read last stays in use. */
  failed(error: unknown): void;
}

/**
 * A database table kept in memory by every replica and read again when its revision moves:
 * checked every `pollMs` (which alone keeps replicas that share only the database in step), and
 * at once when a replica announces a change on the Redis `channel` (REDIS_URL set). One read at a
 * time; a forced read waits for the one under way and then reads again, since it must see the
 * changes made after that one started.
 */
export class RevisionWatch {
  private revision = -1;
  private loading?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly table: WatchedTable,
    private readonly pollMs: number,
    private readonly redis: RedisConnection | null,
    private readonly channel: string,
  ) {}

  start(): void {
    void this.table.ready.then(() => this.refresh());
    this.timer = setInterval(() => void this.refresh(), this.pollMs);
    this.timer.unref();
    this.redis?.subscribe(this.redis.key(this.channel), () => void this.refresh(true));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** After a change made here: reads it now and tells the other replicas to. */
  async changed(): Promise<void> {
    await this.refresh(true);
    if (this.redis?.isUp)
      await this.redis.client
        .publish(this.redis.key(this.channel), this.redis.instanceId)
        .catch(() => undefined);
  }

  /** Reads the table when its revision moved, or whatever it is when `force`. */
  refresh(force = false): Promise<void> {
    if (this.loading) {
      if (force) return this.loading.then(() => this.refresh(true));
      return this.loading;
    }
    this.loading = this.check(force).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async check(force: boolean): Promise<void> {
    if (!this.table.readable()) return;
    try {
      const revision = await this.table.revision();
      if (!force && revision === this.revision) return;
      await this.table.read(this.revision === -1);
      this.revision = revision;
    } catch (error) {
      this.table.failed(error);
    }
  }
}
