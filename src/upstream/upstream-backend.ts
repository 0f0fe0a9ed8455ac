import { GeminiRequest, GeminiResponse, GeminiUsageMetadata, JsonObject } from './gemini-types';

export type UpstreamAuth =
  { kind: 'oauth'; accessToken: string; projectId: string } | { kind: 'api-key'; apiKey: string };

export interface BackendCall<B = GeminiRequest> {
  model: string;
  body: B;
  signal: AbortSignal;
}

export type EmbedAction = 'embedContent' | 'batchEmbedContents';

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
  generate(auth: UpstreamAuth, call: BackendCall): Promise<GeminiResponse>;
  /** For a backend whose answer is already what a native client expects: relayed unparsed. */
  generateBytes?(auth: UpstreamAuth, call: BackendCall): Promise<RelayedAnswer>;
  stream(auth: UpstreamAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>>;
  countTokens(auth: UpstreamAuth, call: BackendCall<JsonObject>): Promise<JsonObject>;
}

export interface EmbeddingBackend {
  embed(
    auth: UpstreamAuth,
    action: EmbedAction,
    call: BackendCall<JsonObject>,
  ): Promise<JsonObject>;
}
