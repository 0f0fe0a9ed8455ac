import { Logger } from '@nestjs/common';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Pool } from 'pg';
import { DatabaseSchema } from './database-schema';
import { redactDatabaseUrl, withoutSecret } from './database-url';
import { migrationProvider } from './migrations';

export type DatabaseEngine = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** postgres://…; unset, the SQLite file. */
  url?: string;
  sqliteFile: string;
}

/** How long a statement may take before the ledger treats the database as slow and retries later. */
const STATEMENT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 3_000;
/** Between attempts to reach a database that was not there at start-up. */
const MIGRATE_RETRY_MS = 2_000;

/**
 * The connection (SQLite file or PostgreSQL pool) behind Kysely, and the schema's migrations.
 * Start-up never waits for a database that is down: migrations run in the background and are
 * retried until they pass, and `ready` settles then; features write only after it.
 */
export class Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly engine: DatabaseEngine;
  /** Where the data lives, fit to show: the file path, or the URL without its password. */
  readonly location: string;
  /**
   * The SQLite connection itself, for the ledger's batch writes: Kysely's SQLite driver prepares
   * every statement anew, which cost several times the insert itself (see UsageRepository.write).
   */
  readonly sqlite?: BetterSqlite3.Database;
  private readonly logger = new Logger('Database');
  private readonly password?: string;
  private migrated = false;
  private lastError?: string;
  private closed = false;
  private retry?: NodeJS.Timeout;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;

  private constructor(
    connection: {
      db: Kysely<DatabaseSchema>;
      engine: DatabaseEngine;
      location: string;
      sqlite?: BetterSqlite3.Database;
    },
    url?: string,
  ) {
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
    this.db = connection.db;
    this.engine = connection.engine;
    this.location = connection.location;
    this.sqlite = connection.sqlite;
    this.password = url === undefined ? undefined : passwordOf(url);
  }

  /**
   * Opens the connection. Only the engine in use has its driver loaded (pg or better-sqlite3):
   * each costs start-up time that the other deployment never needs.
   */
  static async open(options: DatabaseOptions): Promise<Database> {
    if (options.url) {
      const db = new Kysely<DatabaseSchema>({
        dialect: new PostgresDialect({ pool: await postgresPool(options.url) }),
      });
      return new Database(
        { db, engine: 'postgres', location: redactDatabaseUrl(options.url) },
        options.url,
      );
    }
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    let file: BetterSqlite3.Database;
    let location = options.sqliteFile;
    try {
      mkdirSync(dirname(options.sqliteFile), { recursive: true });
      file = new BetterSqlite3(options.sqliteFile);
      // WAL: the ledger's batch writes do not block readers of /admin/api/usage, and a crash
      // mid-batch loses at most that batch. NORMAL sync is WAL's durable-enough setting.
      file.pragma('journal_mode = WAL');
      file.pragma('synchronous = NORMAL');
      file.pragma('busy_timeout = 5000');
    } catch (error) {
      // A read-only credentials folder (a mounted secret) must not stop the proxy: the ledger
      // then lives in memory for this run, and says so.
      location = `memory only (cannot open ${options.sqliteFile}: ${error instanceof Error ? error.message : String(error)})`;
      new Logger('Database').error(`Usage ledger kept in ${location}`);
      file = new BetterSqlite3(':memory:');
    }
    const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: file }) });
    return new Database({ db, engine: 'sqlite', location, sqlite: file });
  }

  /** Settles once the schema is current (never rejects: it waits for the database instead). */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  get isMigrated(): boolean {
    return this.migrated;
  }

  /** The last failure to reach or migrate the database, password removed; undefined once fixed. */
  get migrationError(): string | undefined {
    return this.migrated ? undefined : this.lastError;
  }

  /** A driver error's message fit for logs and /admin: never the password. */
  describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return withoutSecret(message, this.password) || 'unknown database error';
  }

  /** Starts the migrations; called once at start-up. */
  start(): void {
    void this.migrate();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.resolveReady();
    await this.db.destroy();
  }

  private async migrate(): Promise<void> {
    if (this.closed) return;
    try {
      const { error, results } = await new Migrator({
        db: this.db,
        provider: migrationProvider,
      }).migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error('the migration failed');
      for (const r of results ?? []) {
        if (r.status === 'Success') this.logger.log(`Migrated ${this.engine}: ${r.migrationName}`);
      }
      this.migrated = true;
      this.lastError = undefined;
      this.resolveReady();
    } catch (error) {
      const message = this.describe(error);
      if (message !== this.lastError) {
        this.logger.warn(
          `The database (${this.engine}, ${this.location}) is not ready: ${message}; retrying every ${MIGRATE_RETRY_MS / 1000}s`,
        );
      }
      this.lastError = message;
      if (!this.closed) {
        this.retry = setTimeout(() => void this.migrate(), MIGRATE_RETRY_MS);
        this.retry.unref();
      }
    }
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** int8 columns (the ledger's counts and times) as numbers: they stay far below 2^53. */
const INT8_OID = 20;

async function postgresPool(url: string): Promise<Pool> {
  const { Pool, types } = await import('pg');
  const int8AsNumber = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID
        ? (value: string) => Number(value)
        : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
  };
  const pool = new Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
    idleTimeoutMillis: 30_000,
    types: int8AsNumber,
  });
  // An idle connection that PostgreSQL closes (restart, failover) emits here; unhandled, it would
  // end the process. The next query opens a new connection, and its failure is the ledger's to report.
  pool.on('error', () => undefined);
  return pool;
}
