/** One client request as the ledger keeps it (DESIGN §11); times are epoch milliseconds. */
export interface UsageRowTable {
  id: string;
  time: number;
  request_id: string;
  client: string;
  dialect: string;
  requested_model: string | null;
  served_model: string | null;
  credential: string | null;
  attempts: number;
  status: number;
  prompt_tokens: number;
  output_tokens: number;
  thought_tokens: number;
  cached_tokens: number;
  duration_ms: number;
  ttfb_ms: number | null;
  /** 1 when a stream ended before Google's usageMetadata arrived: its counts are unknown, not 0. */
  usage_missing: number;
  error_reason: string | null;
}

/** Totals per hour or day and per credential, model, client and dialect, kept for good. */
export interface UsageTotalTable {
  bucket_start: number;
  credential: string;
  model: string;
  client: string;
  dialect: string;
  requests: number;
  errors: number;
  rate_limited: number;
  prompt_tokens: number;
  output_tokens: number;
  thought_tokens: number;
  cached_tokens: number;
}

export interface DatabaseSchema {
  usage_rows: UsageRowTable;
  usage_hourly: UsageTotalTable;
  usage_daily: UsageTotalTable;
}
