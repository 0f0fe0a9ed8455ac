import type { IncomingHttpHeaders } from 'node:http';

/** Google's wire shapes, as loose as Google is: unknown fields ride along untouched. */
export interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; response?: Record<string, unknown>; id?: string };
  inlineData?: { mimeType: string; data: string };
  [key: string]: unknown;
}

export interface Content {
  role?: string;
  parts?: Part[];
  [key: string]: unknown;
}

export interface Candidate {
  content?: Content;
  finishReason?: string;
  index?: number;
  [key: string]: unknown;
}

export interface UsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
  [key: string]: unknown;
}

export interface GeminiResponse {
  candidates?: Candidate[];
  usageMetadata?: UsageMetadata;
  modelVersion?: string;
  responseId?: string;
  [key: string]: unknown;
}

export interface GenerationConfig {
  candidateCount?: number;
  thinkingConfig?: { includeThoughts?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

export interface GenerateContentRequest {
  contents: Content[];
  systemInstruction?: Content;
  generationConfig?: GenerationConfig;
  [key: string]: unknown;
}

export interface FakeGoogleOptions {
  /** Delay before the first byte of every generate / stream answer. Default 0. */
  latencyMs?: number;
  /** Events per default streamed answer. Default 3. */
  streamEvents?: number;
  /** Delay between stream events. Default 0. */
  streamIntervalMs?: number;
  /** Lifetime of issued access tokens unless an account overrides it. Default 3600. */
  accessTokenTtlSeconds?: number;
  /** `false` keeps nothing in `requests` (benchmarks). Default true. */
  record?: boolean;
}

export type ResolvedOptions = Required<FakeGoogleOptions>;

export type AccountSetup =
  | { kind: 'onboarded' }
  | { kind: 'free-tier'; pollsUntilDone?: number }
  | { kind: 'standard-tier' }
  | { kind: 'ineligible'; reasonCode: string; reasonMessage: string; validationUrl?: string };

export interface OAuthAccountInput {
  email: string;
  refreshToken: string;
  clientId?: string;
  projectId?: string;
  setup?: AccountSetup;
  accessTokenTtlSeconds?: number;
}

/** Which calls a scripted answer or fault applies to; every given field must match. */
export interface Match {
  model?: string;
  /** The account's email for OAuth and service-account calls, the key for API-key calls. */
  credential?: string;
  /** The method name (`generateContent`, `loadCodeAssist`, `refresh_token`…). Without it: model calls only. */
  action?: string;
}

/**
 * `response` for one answer (one event when streamed); `stream` for one event per element (merged for
 * a non-stream call). A stream element with a top-level `error` goes out as Google's mid-stream
 * error event, outside Code Assist's `{response}` envelope.
 */
export type ScriptedAnswer = { response: GeminiResponse } | { stream: GeminiResponse[] };

/** What an error-body factory learns about the call it answers. */
export interface CallContext {
  api: ApiName;
  action?: string;
  model?: string;
  credential?: string;
}

/** An error answer; `body` may be a function of the call (the builders use that to name the model). */
export interface HttpFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer only after this long, so that concurrent calls all reach the fake first. */
  delayMs?: number;
  /**
   * Hold every call this fault answers until this many have arrived (or `delayMs` has passed;
   * 5 s without it), then answer them together: concurrent calls all reach the fake first however
   * slowly a busy machine sends them, and none waits longer than it must.
   */
  gather?: number;
}

export type Fault =
  | HttpFault
  | { kind: 'slowFirstByte'; ms: number }
  | { kind: 'cutMidStream'; afterEvents: number }
  /** A healthy stream of `events` events, `intervalMs` apart (a long answer that keeps coming). */
  | { kind: 'slowStream'; events: number; intervalMs: number }
  /** A stream that sends `afterEvents` events and then stays silent, open, until the client leaves. */
  | { kind: 'stallMidStream'; afterEvents: number }
  | { kind: 'hang' };

export type FaultMatch = Match & { times?: number };

export type ApiName = 'code-assist' | 'gemini' | 'vertex' | 'oauth' | 'userinfo' | 'consent';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; undefined when empty. */
  body: unknown;
  api: ApiName;
  action?: string;
  model?: string;
  credential?: string;
  /** True when the client closed before the answer finished. */
  aborted: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function bareModel(name: string): string {
  return name.startsWith('models/') ? name.slice('models/'.length) : name;
}
