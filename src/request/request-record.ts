export interface TokenCounts {
  prompt: number;
  completion: number;
  thoughts: number;
  /** Prompt tokens served from Google's context cache (included in `prompt`). */
  cached: number;
}

/** What the proxy learned about one HTTP request while serving it, for its log line and metrics. */
export interface RequestRecord {
  readonly method: string;
  /** The route template (`/v1beta/models/:modelAction`), never the raw URL: no query, no key. */
  route: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** The model asked of Google (after aliases and variants). */
  model?: string;
  /** The model Google's answer says it ran (`modelVersion`), when it named one. */
  servedModel?: string;
  credentialId?: string;
  /** Credentials tried, over every dispatch the request made. */
  attempts: number;
  tokens?: TokenCounts;
  firstTokenMs?: number;
  stream?: 'complete' | 'error' | 'aborted';
  /** Why the request's dispatch failed, when it did. */
  errorReason?: string;
  /** The client key's id when one authenticated the request (DESIGN §13); unset for the password. */
  client?: string;
}
