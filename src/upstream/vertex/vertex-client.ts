import { relayedAnswer } from '../answer-usage';
import { GeminiResponse, JsonObject } from '../gemini-types';
import { parseEvents } from '../google-event';
import { BackendCall, EmbedAction, ModelAction, RelayedAnswer } from '../upstream-backend';
import { UpstreamHttp } from '../upstream-http';
import { fromVertexEmbeddings, toVertexEmbedCalls } from './vertex-embeddings';
import { vertexBaseUrl } from './vertex-location';
import { toVertexCountTokensBody, toVertexGenerateBody } from './vertex-request';

export interface VertexOptions {
  /** VERTEX_ENDPOINT; unset, the host follows the location. */
  endpoint?: string;
  timeoutMs: number;
}

/** What a Vertex call sends: a service account's token in its project and location, or an express key. */
export type VertexAuth = (
  | { mode: 'service-account'; accessToken: string; projectId: string; location: string }
  | { mode: 'express'; apiKey: string }
) & {
  /** The credential's own outbound proxy (DESIGN §14). */
  proxy?: string;
};

/** Embedding calls of one batch run this many at a time. */
const EMBED_CONCURRENCY = 4;

/**
 * Vertex AI's publisher models (`aiplatform.googleapis.com`, v1): a service account's bearer token
 * on `projects/{project}/locations/{location}/publishers/google/models/{model}`, or an
 * express-mode key on the global `publishers/google/models/{model}`. The answers are the
 * Gemini API's shapes, so only requests and embeddings are mapped.
 */
export class VertexClient {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly options: VertexOptions,
  ) {}

  encode(action: ModelAction, body: unknown, json: () => string): string {
    switch (action) {
      case 'generateContent':
      case 'streamGenerateContent':
        return toVertexGenerateBody(body, json);
      case 'countTokens':
        return toVertexCountTokensBody(body);
      case 'embedContent':
      case 'batchEmbedContents':
        // Planned per call in embed(): one Gemini API request may become several Vertex calls.
        return json();
    }
  }

  generate(auth: VertexAuth, call: BackendCall): Promise<GeminiResponse> {
    return this.post<GeminiResponse>(
      auth,
      call.model,
      'generateContent',
      call.payload,
      call.signal,
    );
  }

  /**
   * generateContent as the bytes Google sent, for native clients: Vertex answers in the Gemini
   * API's shape (with a few fields of its own, such as `createTime`, that clients ignore).
   */
  async generateBytes(auth: VertexAuth, call: BackendCall): Promise<RelayedAnswer> {
    const bytes = await this.http.bytes({
      method: 'POST',
      url: this.modelUrl(auth, call.model, 'generateContent'),
      headers: headers(auth),
      body: call.payload,
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
    return relayedAnswer(bytes);
  }

  async stream(auth: VertexAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>> {
    const events = await this.http.sse({
      method: 'POST',
      url: `${this.modelUrl(auth, call.model, 'streamGenerateContent')}?alt=sse`,
      headers: headers(auth),
      body: call.payload,
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
    return parseEvents(events);
  }

  countTokens(auth: VertexAuth, call: BackendCall): Promise<JsonObject> {
    return this.post<JsonObject>(auth, call.model, 'countTokens', call.payload, call.signal);
  }

  async embed(auth: VertexAuth, action: EmbedAction, call: BackendCall): Promise<JsonObject> {
    const calls = toVertexEmbedCalls(call.model, action, JSON.parse(call.payload) as JsonObject);
    const answers: JsonObject[] = new Array<JsonObject>(calls.length);
    let next = 0;
    const worker = async () => {
      while (next < calls.length) {
        const i = next++;
        const { method, body } = calls[i];
        answers[i] = await this.post<JsonObject>(
          auth,
          call.model,
          method,
          JSON.stringify(body),
          call.signal,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, calls.length) }, worker));
    return fromVertexEmbeddings(action, calls, answers);
  }

  private post<T>(
    auth: VertexAuth,
    model: string,
    action: string,
    body: string,
    signal: AbortSignal,
  ): Promise<T> {
    return this.http.json<T>({
      method: 'POST',
      url: this.modelUrl(auth, model, action),
      headers: headers(auth),
      body,
      signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
  }

  private modelUrl(auth: VertexAuth, model: string, action: string): string {
    const name = `publishers/google/models/${encodeURIComponent(model)}:${action}`;
    switch (auth.mode) {
      case 'service-account': {
        const base = vertexBaseUrl(auth.location, this.options.endpoint);
        const project = encodeURIComponent(auth.projectId);
        return `${base}/v1/projects/${project}/locations/${auth.location}/${name}`;
      }
      case 'express':
        // Express mode lives on the global host only, whatever the default location.
        return `${vertexBaseUrl('global', this.options.endpoint)}/v1/${name}`;
    }
  }
}

/**
 * The express-mode key travels in `x-goog-api-key`, which Google's APIs accept wherever they
 * accept `?key=`, so that no URL (in a log line, an error) ever carries it.
 */
function headers(auth: VertexAuth): Record<string, string> {
  switch (auth.mode) {
    case 'service-account':
      return { authorization: `Bearer ${auth.accessToken}`, 'content-type': 'application/json' };
    case 'express':
      return { 'x-goog-api-key': auth.apiKey, 'content-type': 'application/json' };
  }
}
