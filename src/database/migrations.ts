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
  '2026-12-08-client-keys': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('client_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('secret_hint', 'varchar(8)', (c) => c.notNull())
        .addColumn('models', 'text')
        .addColumn('rpm', 'bigint')
        .addColumn('tpm', 'bigint')
        .addColumn('daily_tokens', 'bigint')
        .addColumn('monthly_tokens', 'bigint')
        .addColumn('expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createTable('runtime_credentials')
        .addColumn('id', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'varchar(16)', (c) => c.notNull())
        .addColumn('address', 'varchar(64)', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('target', 'varchar(200)', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_time').on('audit_log').column('time').execute();
      await db.schema
        .createTable('revisions')
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('revision', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['client_keys', 'runtime_credentials', 'audit_log', 'revisions'])
        await db.schema.dropTable(table).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
