import { Injectable } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { Database } from '../database/database';
import type { DatabaseSchema } from '../database/database-schema';
import type { UsageRow } from './usage-row';
import { Bucket, bucketStart, totalsOf } from './usage-totals';

export type UsageGroup = 'credential' | 'model' | 'client' | 'dialect';

export interface UsageQuery {
  from: number;
  to: number;
  bucket: Bucket;
  group: UsageGroup;
}

export interface UsageTotalRow {
  start: number;
  key: string;
  requests: number;
  errors: number;
  rate_limited: number;
  prompt_tokens: number;
  output_tokens: number;
  thought_tokens: number;
  cached_tokens: number;
}

const TOTAL_TABLES = { hour: 'usage_hourly', day: 'usage_daily' } as const;
const SUMMED = [
  'requests',
  'errors',
  'rate_limited',
  'prompt_tokens',
  'output_tokens',
  'thought_tokens',
  'cached_tokens',
] as const;
/** Rows per INSERT: 18 columns each stays far below SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 500;

/** The ledger's tables, the same statements on SQLite and PostgreSQL. */
@Injectable()
export class UsageRepository {
  constructor(private readonly database: Database) {}

  private get db(): Kysely<DatabaseSchema> {
    return this.database.db;
  }

  /** The rows and their hourly and daily totals, in one transaction: all of a batch or none. */
  async write(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('usage_rows')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
      for (const bucket of ['hour', 'day'] as const) {
        const table = TOTAL_TABLES[bucket];
        const totals = totalsOf(rows, bucket);
        for (let i = 0; i < totals.length; i += INSERT_CHUNK) {
          await trx
            .insertInto(table)
            .values(totals.slice(i, i + INSERT_CHUNK))
            .onConflict((oc) =>
              oc
                .columns(['bucket_start', 'credential', 'model', 'client', 'dialect'])
                .doUpdateSet(addExcluded(table)),
            )
            .execute();
        }
      }
    });
  }

  /** Totals per bucket and group value between `from` (inclusive) and `to` (exclusive). */
  async totals(q: UsageQuery): Promise<UsageTotalRow[]> {
    const table = TOTAL_TABLES[q.bucket];
    const rows = await this.db
      .selectFrom(table)
      .select((eb) => [
        'bucket_start',
        eb.ref(q.group).as('key'),
        ...SUMMED.map((c) => eb.fn.sum<number>(c).as(c)),
      ])
      .where('bucket_start', '>=', bucketStart(q.from, q.bucket))
      .where('bucket_start', '<', q.to)
      .groupBy(['bucket_start', q.group])
      .orderBy('bucket_start')
      .orderBy(q.group)
      .execute();
    return rows.map((r) => ({
      start: Number(r.bucket_start),
      key: String(r.key),
      requests: Number(r.requests),
      errors: Number(r.errors),
      rate_limited: Number(r.rate_limited),
      prompt_tokens: Number(r.prompt_tokens),
      output_tokens: Number(r.output_tokens),
      thought_tokens: Number(r.thought_tokens),
      cached_tokens: Number(r.cached_tokens),
    }));
  }

  /** Deletes up to `limit` raw rows older than `before`; returns how many went. */
  async pruneRows(before: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('usage_rows')
      .where(
        'id',
        'in',
        this.db.selectFrom('usage_rows').select('id').where('time', '<', before).limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Raw rows in a time range, oldest first (tests and audits; the API answers from the totals). */
  rows(from: number, to: number): Promise<UsageRow[]> {
    return this.db
      .selectFrom('usage_rows')
      .selectAll()
      .where('time', '>=', from)
      .where('time', '<', to)
      .orderBy('time')
      .execute();
  }
}

/** `requests = <table>.requests + excluded.requests`, and so on for every summed column. */
function addExcluded(table: 'usage_hourly' | 'usage_daily') {
  const sum = (c: (typeof SUMMED)[number]) =>
    sql<number>`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
  return {
    requests: sum('requests'),
    errors: sum('errors'),
    rate_limited: sum('rate_limited'),
    prompt_tokens: sum('prompt_tokens'),
    output_tokens: sum('output_tokens'),
    thought_tokens: sum('thought_tokens'),
    cached_tokens: sum('cached_tokens'),
  };
}
