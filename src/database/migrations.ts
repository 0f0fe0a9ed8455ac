import { Kysely, Migration, MigrationProvider } from 'kysely';

/**
 * The schema's history, in code so that the build carries it and both engines run the same steps.
 * Column types are the portable subset: SQLite maps `bigint` to its 64-bit INTEGER, PostgreSQL to
 * int8 (read back as a number by the connection's type parser). Never edit a released step; add one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026-12-07-usage-ledger': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('usage_rows')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('client', 'varchar(64)', (c) => c.notNull())
        .addColumn('dialect', 'varchar(16)', (c) => c.notNull())
        .addColumn('requested_model', 'varchar(200)')
        .addColumn('served_model', 'varchar(200)')
        .addColumn('credential', 'varchar(200)')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('prompt_tokens', 'bigint', (c) => c.notNull())
        .addColumn('output_tokens', 'bigint', (c) => c.notNull())
        .addColumn('thought_tokens', 'bigint', (c) => c.notNull())
        .addColumn('cached_tokens', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('ttfb_ms', 'integer')
        .addColumn('usage_missing', 'integer', (c) => c.notNull())
        .addColumn('error_reason', 'varchar(200)')
        .execute();
      await db.schema.createIndex('usage_rows_time').on('usage_rows').column('time').execute();
      for (const table of ['usage_hourly', 'usage_daily']) {
        await db.schema
          .createTable(table)
          .addColumn('bucket_start', 'bigint', (c) => c.notNull())
          .addColumn('credential', 'varchar(200)', (c) => c.notNull())
          .addColumn('model', 'varchar(200)', (c) => c.notNull())
          .addColumn('client', 'varchar(64)', (c) => c.notNull())
          .addColumn('dialect', 'varchar(16)', (c) => c.notNull())
          .addColumn('requests', 'bigint', (c) => c.notNull())
          .addColumn('errors', 'bigint', (c) => c.notNull())
          .addColumn('rate_limited', 'bigint', (c) => c.notNull())
          .addColumn('prompt_tokens', 'bigint', (c) => c.notNull())
          .addColumn('output_tokens', 'bigint', (c) => c.notNull())
          .addColumn('thought_tokens', 'bigint', (c) => c.notNull())
          .addColumn('cached_tokens', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_key`, [
            'bucket_start',
            'credential',
            'model',
            'client',
            'dialect',
          ])
          .execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['usage_daily', 'usage_hourly', 'usage_rows'])
        await db.schema.dropTable(table).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
