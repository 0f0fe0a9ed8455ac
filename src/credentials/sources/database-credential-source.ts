import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { RuntimeCredentialTable } from '../../database/database-schema';
import { Database } from '../../database/database';
import { bumpRevision, readRevision } from '../../database/revisions';
import { RedisConnection } from '../../redis/redis-connection';
import { REDIS_CONNECTION } from '../../redis/redis.module';
import { RevisionWatch, WatchedTable } from '../../redis/revision-watch';
import { Credential } from '../credential';
import { apiKeyCredential } from '../credential-parser';
import { vertexExpressCredential } from '../service-account';
import { CredentialSource, LoadedCredential } from './credential-source';

export type StoredKeyKind = 'api-key' | 'vertex-express';

const REVISION = 'runtime_credentials';
const CHANNEL = 'credentials:changed';
/** Every replica's pool follows a change within this (DESIGN §11 asks 5 s). */
export const CREDENTIALS_POLL_MS = 1_000;

export interface StoredKey {
  id: string;
  kind: StoredKeyKind;
  disabled: boolean;
}

function credentialOf(row: Pick<RuntimeCredentialTable, 'kind' | 'secret'>): Credential {
  return row.kind === 'vertex-express'
    ? vertexExpressCredential(row.secret)
    : apiKeyCredential(row.secret);
}

/**
 * Gemini API keys and Vertex express keys added at run time, kept in the database. Replicas
 * learn of a change by Redis (when set) and by polling the table's revision, and then reload
 * their pool through the listener the credentials service registers. A load answers from the
 * rows last read, so a pool reload never waits on the database.
 */
@Injectable()
export class DatabaseCredentialSource implements CredentialSource, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Credentials');
  private rows: RuntimeCredentialTable[] = [];
  private readonly listeners: (() => void)[] = [];
  private failure?: string;
  private readonly watch: RevisionWatch;

  constructor(
    private readonly database: Database,
    @Optional() @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
  ) {
    const table: WatchedTable = {
      ready: database.ready,
      readable: () => database.isMigrated,
      revision: () => readRevision(database.db, REVISION),
      read: (first) => this.read(first),
      failed: (error) => {
        const reason = database.describe(error);
        if (reason !== this.failure)
          this.logger.warn(`Credentials stored in the database not refreshed: ${reason}`);
        this.failure = reason;
      },
    };
    this.watch = new RevisionWatch(table, CREDENTIALS_POLL_MS, redis, CHANNEL);
  }

  onModuleInit(): void {
    this.watch.start();
  }

  onModuleDestroy(): void {
    this.watch.stop();
  }

  /** The enabled keys, as pool credentials. */
  load(): Promise<LoadedCredential[]> {
    const enabled = this.rows.filter((r) => r.disabled === 0);
    return Promise.resolve(enabled.map((row) => ({ credential: credentialOf(row) })));
  }

  stored(): StoredKey[] {
    return this.rows.map((r) => ({
      id: r.id,
      kind: r.kind as StoredKeyKind,
      disabled: r.disabled !== 0,
    }));
  }

  /** A label for a stored key that is not in the pool (disabled): its suffix, never the key. */
  credentialFor(id: string): Credential | undefined {
    const row = this.rows.find((r) => r.id === id);
    return row && credentialOf(row);
  }

  has(id: string): boolean {
    return this.rows.some((r) => r.id === id);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  get migrated(): boolean {
    return this.database.isMigrated;
  }

  /** Stores the key; false when one with its id is stored already. */
  async add(kind: StoredKeyKind, secret: string): Promise<Credential | undefined> {
    const credential = credentialOf({ kind, secret });
    const added = await this.database.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('runtime_credentials')
        .select('id')
        .where('id', '=', credential.id)
        .executeTakeFirst();
      if (existing) return false;
      await trx
        .insertInto('runtime_credentials')
        .values({ id: credential.id, kind, secret, disabled: 0, created_at: Date.now() })
        .execute();
      await bumpRevision(trx, REVISION);
      return true;
    });
    if (!added) return undefined;
    await this.changed();
    return credential;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.database.db.transaction().execute(async (trx) => {
      const result = await trx
        .deleteFrom('runtime_credentials')
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await bumpRevision(trx, REVISION);
      return true;
    });
    if (removed) await this.changed();
    return removed;
  }

  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    const updated = await this.database.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('runtime_credentials')
        .set({ disabled: disabled ? 1 : 0 })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await bumpRevision(trx, REVISION);
      return true;
    });
    if (updated) await this.changed();
    return updated;
  }

  private changed(): Promise<void> {
    return this.watch.changed();
  }

  private async read(first: boolean): Promise<void> {
    this.rows = await this.database.db
      .selectFrom('runtime_credentials')
      .selectAll()
      .orderBy('created_at')
      .execute();
    this.failure = undefined;
    if (!first || this.rows.length > 0) for (const listener of this.listeners) listener();
  }
}
