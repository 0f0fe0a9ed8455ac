import { GeminiRequest, GeminiResponse, JsonObject } from './gemini-types';

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
export interface UpstreamBackend {
  generate(auth: UpstreamAuth, call: BackendCall): Promise<GeminiResponse>;
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
