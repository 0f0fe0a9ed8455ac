import type { UsageTotalTable } from '../database/database-schema';
import { outcomeOf, UsageRow } from './usage-row';

export type Bucket = 'hour' | 'day';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC hour or day that holds `time`. */
export function bucketStart(time: number, bucket: Bucket): number {
  const size = bucket === 'hour' ? HOUR_MS : DAY_MS;
  return Math.floor(time / size) * size;
}

export function bucketSize(bucket: Bucket): number {
  return bucket === 'hour' ? HOUR_MS : DAY_MS;
}

/** Placeholder key for a row with no credential or model (refused before any was picked). */
export const NONE = 'none';

/**
 * A batch's rows summed per bucket and key, one total per key: PostgreSQL refuses an upsert that
 * touches the same row twice, so the batch is folded before it is written.
 */
export function totalsOf(rows: readonly UsageRow[], bucket: Bucket): UsageTotalTable[] {
  const byKey = new Map<string, UsageTotalTable>();
  for (const row of rows) {
    const start = bucketStart(row.time, bucket);
    const credential = row.credential ?? NONE;
    const model = row.served_model ?? row.requested_model ?? NONE;
    const key = JSON.stringify([start, credential, model, row.client, row.dialect]);
    let total = byKey.get(key);
    if (!total) {
      total = {
        bucket_start: start,
        credential,
        model,
        client: row.client,
        dialect: row.dialect,
        requests: 0,
        errors: 0,
        rate_limited: 0,
        prompt_tokens: 0,
        output_tokens: 0,
        thought_tokens: 0,
        cached_tokens: 0,
      };
      byKey.set(key, total);
    }
    const { errors, rateLimited } = outcomeOf(row);
    total.requests += 1;
    total.errors += errors;
    total.rate_limited += rateLimited;
    total.prompt_tokens += row.prompt_tokens;
    total.output_tokens += row.output_tokens;
    total.thought_tokens += row.thought_tokens;
    total.cached_tokens += row.cached_tokens;
  }
  return [...byKey.values()];
}
