import { Injectable } from '@nestjs/common';
import type { ClientKeyTable } from '../database/database-schema';
import { Database } from '../database/database';
import { bumpRevision, readRevision } from '../database/revisions';

export const KEYS_REVISION = 'client_keys';

export type KeyChanges = Partial<
  Pick<
    ClientKeyTable,
    | 'name'
    | 'models'
    | 'rpm'
    | 'tpm'
    | 'daily_tokens'
    | 'monthly_tokens'
    | 'expires_at'
    | 'secret_hash'
    | 'secret_hint'
    | 'revoked_at'
  >
>;

/** The client_keys table; every change raises the table's revision in the same transaction. */
@Injectable()
export class ClientKeyRepository {
  constructor(private readonly database: Database) {}

  get ready(): Promise<void> {
    return this.database.ready;
  }

  get migrated(): boolean {
    return this.database.isMigrated;
  }

  async all(): Promise<ClientKeyTable[]> {
    return this.database.db.selectFrom('client_keys').selectAll().orderBy('created_at').execute();
  }

  async find(id: string): Promise<ClientKeyTable | undefined> {
    return this.database.db
      .selectFrom('client_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: ClientKeyTable): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      await trx.insertInto('client_keys').values(row).execute();
      await bumpRevision(trx, KEYS_REVISION);
    });
  }

  /** Applies `changes` and answers the row after them, or undefined when there is no such key. */
  async update(id: string, changes: KeyChanges, at: number): Promise<ClientKeyTable | undefined> {
    return this.database.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('client_keys')
        .set({ ...changes, updated_at: at })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      await bumpRevision(trx, KEYS_REVISION);
      return trx.selectFrom('client_keys').selectAll().where('id', '=', id).executeTakeFirst();
    });
  }

  revision(): Promise<number> {
    return readRevision(this.database.db, KEYS_REVISION);
  }

  describe(error: unknown): string {
    return this.database.describe(error);
  }
}
