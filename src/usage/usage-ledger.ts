import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { databaseConfig } from '../config/configuration';
import { Database } from '../database/database';
import { RequestTracker } from '../logging/request-tracker';
import { UsageRepository } from './usage-repository';
import { toUsageRow, UsageRow } from './usage-row';

export interface UsageLedgerOptions {
  /** Rows held while the database is down or slow; past it new rows are dropped and counted. */
  maxBufferedRows: number;
  /** How often queued rows are written (DESIGN §11: at most a second late). */
  flushIntervalMs: number;
  /** Rows per transaction. */
  batchRows: number;
  /** How often rows past the retention are pruned, and how many per statement. */
  pruneIntervalMs: number;
  pruneChunk: number;
}

export const USAGE_LEDGER_OPTIONS = Symbol('USAGE_LEDGER_OPTIONS');

export const DEFAULT_LEDGER_OPTIONS: UsageLedgerOptions = {
  maxBufferedRows: 50_000,
  flushIntervalMs: 500,
  batchRows: 2_000,
  pruneIntervalMs: 3_600_000,
  pruneChunk: 5_000,
};

const DAY_MS = 86_400_000;
/** How long to wait for the last rows at shutdown before giving them up. */
const FINAL_FLUSH_MS = 5_000;

/** What /admin shows about the ledger. */
export interface LedgerStatus {
  engine: string;
  location: string;
  /** Rows waiting to be written. */
  pending: number;
  dropped: number;
  written: number;
  /** True when rows wait because the database failed or is not ready. */
  behind: boolean;
  /** Why, password removed. */
  reason?: string;
  lastWriteAt?: number;
}

/**
 * The usage ledger: one row per finished model request, queued in memory and written in batches by
 * a timer, so that a request never waits for the database. When the database is down or slow the
 * queue holds up to `maxBufferedRows`; past that, rows are dropped and counted, never silently.
 */
@Injectable()
export class UsageLedger implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('UsageLedger');
  private readonly options: UsageLedgerOptions;
  private queue: UsageRow[] = [];
  private flushing?: Promise<void>;
  private pruning = false;
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private droppedRows = 0;
  private writtenRows = 0;
  private failure?: string;
  private lastWriteAt?: number;
  private warnedFull = false;
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly repository: UsageRepository,
    private readonly tracker: RequestTracker,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
    @Inject(USAGE_LEDGER_OPTIONS) options: Partial<UsageLedgerOptions>,
  ) {
    this.options = { ...DEFAULT_LEDGER_OPTIONS, ...options };
  }

  onModuleInit(): void {
    this.unsubscribe = this.tracker.onComplete((request) => {
      const row = toUsageRow(request, Date.now());
      if (row) this.record(row);
    });
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
    void this.database.ready.then(() => this.schedulePrune(0));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The last rows get a few seconds to reach the database before it is closed. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.pruneTimer);
    const deadline = Date.now() + FINAL_FLUSH_MS;
    if (this.queue.length > 0 && !this.database.isMigrated) {
      // A database still migrating (or coming back) may yet take the last rows.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.database.ready,
        new Promise((resolve) => (timer = setTimeout(resolve, FINAL_FLUSH_MS))),
      ]);
      clearTimeout(timer);
    }
    while (this.queue.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.failure) break;
    }
    if (this.queue.length > 0)
      this.logger.warn(`${this.queue.length} usage rows could not be written before shutdown`);
  }

  record(row: UsageRow): void {
    if (this.queue.length >= this.options.maxBufferedRows) {
      this.droppedRows += 1;
      if (!this.warnedFull) {
        this.warnedFull = true;
        this.logger.error(
          `Usage buffer full (${this.options.maxBufferedRows} rows): dropping new rows until the database takes them (${this.failure ?? 'database not ready'})`,
        );
      }
      return;
    }
    this.queue.push(row);
  }

  get dropped(): number {
    return this.droppedRows;
  }

  get pending(): number {
    return this.queue.length;
  }

  status(): LedgerStatus {
    const reason = this.failure ?? this.database.migrationError;
    return {
      engine: this.database.engine,
      location: this.database.location,
      pending: this.queue.length,
      dropped: this.droppedRows,
      written: this.writtenRows,
      behind: reason !== undefined || !this.database.isMigrated,
      reason: reason ?? (this.database.isMigrated ? undefined : 'database not ready yet'),
      lastWriteAt: this.lastWriteAt,
    };
  }

  /** Writes what is queued, one batch per transaction; a failed batch stays queued for the next tick. */
  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    if (!this.database.isMigrated) return;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.batchRows);
      try {
        await this.repository.write(batch);
      } catch (error) {
        const reason = this.database.describe(error);
        if (reason !== this.failure)
          this.logger.warn(
            `Usage rows not written (${this.queue.length} waiting, kept and retried): ${reason}`,
          );
        this.failure = reason;
        return;
      }
      // Rows recorded meanwhile were appended after the batch, so the batch is still the head.
      this.queue.splice(0, batch.length);
      this.writtenRows += batch.length;
      this.lastWriteAt = Date.now();
      if (this.failure) this.logger.log('Usage rows are written again');
      this.failure = undefined;
      this.warnedFull = false;
    }
  }

  private schedulePrune(delayMs: number): void {
    if (this.stopped) return;
    this.pruneTimer = setTimeout(() => void this.prune(), delayMs);
    this.pruneTimer.unref();
  }

  /**
   * Deletes raw rows past USAGE_RETENTION_DAYS a chunk at a time, yielding between chunks, so that
   * SQLite (synchronous) never holds the event loop for long. Totals are never pruned.
   */
  private async prune(): Promise<void> {
    if (this.pruning) return;
    this.pruning = true;
    try {
      const before = Date.now() - this.config.retentionDays * DAY_MS;
      let deleted = 0;
      for (;;) {
        const n = await this.repository.pruneRows(before, this.options.pruneChunk);
        deleted += n;
        if (n < this.options.pruneChunk) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (deleted > 0)
        this.logger.log(
          `Pruned ${deleted} usage rows older than ${this.config.retentionDays} days`,
        );
    } catch (error) {
      this.logger.warn(`Usage rows not pruned: ${this.database.describe(error)}`);
    } finally {
      this.pruning = false;
      this.schedulePrune(this.options.pruneIntervalMs);
    }
  }
}
