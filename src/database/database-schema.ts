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

/** A client key (DESIGN §13): never its secret, only the secret's SHA-256. */
export interface ClientKeyTable {
  id: string;
  name: string;
  /** Hex SHA-256 of the whole secret. */
  secret_hash: string;
  /** The secret's last characters, to tell keys apart on /admin. */
  secret_hint: string;
  /** JSON array of model names; null means every model. */
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  daily_tokens: number | null;
  monthly_tokens: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

/** A Gemini API key or Vertex express key added at run time (DESIGN §11). */
export interface RuntimeCredentialTable {
  id: string;
  kind: string;
  secret: string;
  disabled: number;
  created_at: number;
}

/** Who changed which key or credential, and when. */
export interface AuditTable {
  id: string;
  time: number;
  /** `password` or `cookie`. */
  actor: string;
  address: string;
  action: string;
  target: string;
  detail: string | null;
}

/**
 * One counter per shared table, raised in the same transaction as each change: replicas poll this
 * one row to learn cheaply that they must reload (deletes included).
 */
export interface RevisionTable {
  name: string;
  revision: number;
}

export interface DatabaseSchema {
  usage_rows: UsageRowTable;
  usage_hourly: UsageTotalTable;
  usage_daily: UsageTotalTable;
  client_keys: ClientKeyTable;
  runtime_credentials: RuntimeCredentialTable;
  audit_log: AuditTable;
  revisions: RevisionTable;
}
