import { Kysely, sql, Transaction } from 'kysely';
import type { DatabaseSchema } from '../database/database-schema';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** Raises a table's revision; run in the transaction of the change it announces. */
export async function bumpRevision(db: Db, name: string): Promise<void> {
  await db
    .insertInto('revisions')
    .values({ name, revision: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ revision: sql`revisions.revision + 1` }))
    .execute();
}

/** The table's revision, 0 before its first change. */
export async function readRevision(db: Db, name: string): Promise<number> {
  const row = await db
    .selectFrom('revisions')
    .select('revision')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.revision) : 0;
}
