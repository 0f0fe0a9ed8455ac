import { Injectable } from '@nestjs/common';
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely } from 'kysely';
import { Database } from '../database/database';
import type { DatabaseSchema, UsageTotalTable } from '../database/database-schema';
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
/** Rows per PostgreSQL INSERT: 18 columns each stays far below its 65,535 bound parameters. */
const INSERT_CHUNK = 500;

const ROW_COLUMNS = [
  'id',
  'time',
  'request_id',
  'client',
  'dialect',
  'requested_model',
  'served_model',
  'credential',
  'attempts',
  'status',
  'prompt_tokens',
  'output_tokens',
  'thought_tokens',
  'cached_tokens',
  'duration_ms',
  'ttfb_ms',
  'usage_missing',
  'error_reason',
] as const satisfies readonly (keyof UsageRow)[];
const TOTAL_KEY = ['bucket_start', 'credential', 'model', 'client', 'dialect'] as const;
const TOTAL_COLUMNS = [
  ...TOTAL_KEY,
  ...SUMMED,
] as const satisfies readonly (keyof UsageTotalTable)[];

/**
 * The batch statements, written out rather than built by Kysely: its query tree of every bound
 * value and, on SQLite, a fresh prepare of each multi-row statement cost ~24 µs a row on the main
 * thread (issue 20's CPU allowance is 5 % per request). `values` is the VALUES list.
 */
function insertRowsSql(values: string): string {
  return `INSERT INTO usage_rows (${ROW_COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT (id) DO NOTHING`;
}
function upsertTotalsSql(table: string, values: string): string {
  const add = SUMMED.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
  return `INSERT INTO ${table} (${TOTAL_COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT (${TOTAL_KEY.join(', ')}) DO UPDATE SET ${add}`;
}

/** `($1, $2, …), (…)` for `rows` rows of `columns` values: PostgreSQL's numbered parameters. */
function numberedValues(rows: number, columns: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const slots: string[] = [];
    for (let c = 1; c <= columns; c++) slots.push(`$${r * columns + c}`);
    tuples.push(`(${slots.join(', ')})`);
  }
  return tuples.join(', ');
}

/** Each table's statements, prepared once per connection and run row by row in one transaction. */
function sqliteWriter(sqlite: BetterSqlite3.Database): (rows: readonly UsageRow[]) => void {
  const named = (columns: readonly string[]) => `(${columns.map((c) => `@${c}`).join(', ')})`;
  const insertRow = sqlite.prepare<[UsageRow]>(insertRowsSql(named(ROW_COLUMNS)));
  const upsert = {
    hour: sqlite.prepare<[UsageTotalTable]>(
      upsertTotalsSql(TOTAL_TABLES.hour, named(TOTAL_COLUMNS)),
    ),
    day: sqlite.prepare<[UsageTotalTable]>(upsertTotalsSql(TOTAL_TABLES.day, named(TOTAL_COLUMNS))),
  };
  return sqlite.transaction((rows: readonly UsageRow[]) => {
    for (const row of rows) insertRow.run(row);
    for (const bucket of ['hour', 'day'] as const)
      for (const total of totalsOf(rows, bucket)) upsert[bucket].run(total);
  });
}

/** The ledger's tables, the same statements on SQLite and PostgreSQL. */
@Injectable()
export class UsageRepository {
  constructor(private readonly database: Database) {}

  private sqliteWrite?: (rows: readonly UsageRow[]) => void;

  private get db(): Kysely<DatabaseSchema> {
    return this.database.db;
  }

  /** The rows and their hourly and daily totals, in one transaction: all of a batch or none. */
  async write(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    const sqlite = this.database.sqlite;
    if (sqlite) {
      // Synchronous on the main thread: every microsecond here is taken from requests.
      if (sqlite.inTransaction) throw new Error('the SQLite connection is in another transaction');
      (this.sqliteWrite ??= sqliteWriter(sqlite))(rows);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        const sqlText = insertRowsSql(numberedValues(chunk.length, ROW_COLUMNS.length));
        await trx.executeQuery(CompiledQuery.raw(sqlText, parametersOf(chunk, ROW_COLUMNS)));
      }
      for (const bucket of ['hour', 'day'] as const) {
        const totals = totalsOf(rows, bucket);
        for (let i = 0; i < totals.length; i += INSERT_CHUNK) {
          const chunk = totals.slice(i, i + INSERT_CHUNK);
          const values = numberedValues(chunk.length, TOTAL_COLUMNS.length);
          const sqlText = upsertTotalsSql(TOTAL_TABLES[bucket], values);
          await trx.executeQuery(CompiledQuery.raw(sqlText, parametersOf(chunk, TOTAL_COLUMNS)));
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

function parametersOf<T>(rows: readonly T[], columns: readonly (keyof T)[]): unknown[] {
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of columns) parameters.push(row[column]);
  return parameters;
}
