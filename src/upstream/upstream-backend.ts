import { GeminiResponse, GeminiUsageMetadata, JsonObject } from './gemini-types';

export type UpstreamAuth =
  { kind: 'oauth'; accessToken: string; projectId: string } | { kind: 'api-key'; apiKey: string };

export type EmbedAction = 'embedContent' | 'batchEmbedContents';

export type ModelAction = 'generateContent' | 'streamGenerateContent' | 'countTokens' | EmbedAction;

/** One attempt with one credential. */
export interface BackendCall {
  model: string;
  /** The body as this API takes it, from the backend's `encode`, made once per request. */
  payload: string;
  signal: AbortSignal;
}

/**
 * One Google model API. Code Assist and the Gemini API implement it; another backend
 * (Vertex AI) is one more class. Streams throw UpstreamHttpError before yielding when Google
 * refuses the call, so the dispatcher can still fail over.
 */
/** A generateContent answer as Google's own bytes, and its usage for the metrics. */
export interface RelayedAnswer {
  bytes: Buffer;
  usage?: GeminiUsageMetadata;
}

export interface UpstreamBackend {
  /**
   * Serialises the body as this API takes it. The dispatcher calls it once per request, before
   * any credential is picked, so a body the proxy cannot serialise is the client's error and
   * never an attempt's; `json` is the whole body serialised, computed at most once and shared by
   * every backend. Attempts only splice the result into their envelope.
   */
  encode(action: ModelAction, body: unknown, json: () => string): string;
  generate(auth: UpstreamAuth, call: BackendCall): Promise<GeminiResponse>;
  /** For a backend whose answer is already what a native client expects: relayed unparsed. */
  generateBytes?(auth: UpstreamAuth, call: BackendCall): Promise<RelayedAnswer>;
  stream(auth: UpstreamAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>>;
  countTokens(auth: UpstreamAuth, call: BackendCall): Promise<JsonObject>;
}

export interface EmbeddingBackend {
  embed(auth: UpstreamAuth, action: EmbedAction, call: BackendCall): Promise<JsonObject>;
}
