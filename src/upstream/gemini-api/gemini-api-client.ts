import { Credential } from '../../credentials/credential';
import { GeminiResponse, JsonObject } from '../gemini-types';
import { relayedAnswer } from '../answer-usage';
import { parseEvents } from '../google-event';
import {
  BackendCall,
  BackendSession,
  EmbedAction,
  ModelAction,
  RelayedAnswer,
  ResourceCall,
  UpstreamBackend,
} from '../upstream-backend';
import { UpstreamHttp, UpstreamResponse } from '../upstream-http';

export interface GeminiApiOptions {
  endpoint: string;
  timeoutMs: number;
}

/** What a Gemini API call sends: the key. */
export interface GeminiApiAuth {
  apiKey: string;
  /** The key's own outbound proxy (DESIGN §14). */
  proxy?: string;
}

/**
 * Google's Gemini API (AI Studio keys, `generativelanguage.googleapis.com`, v1beta). A key needs
 * no preparation, so the client is the backend itself.
 */
export class GeminiApiClient implements UpstreamBackend<GeminiApiAuth> {
  readonly kind = 'api-key';
  readonly api = 'gemini-api';

  constructor(
    private readonly http: UpstreamHttp,
    private readonly options: GeminiApiOptions,
  ) {}

  /** A key serves every action, embeddings included. */
  supports(): boolean {
    return true;
  }

  /** A key has no token to refresh: a 401 stands. */
  async open(credential: Credential): Promise<BackendSession<GeminiApiAuth>> {
    if (credential.kind !== 'api-key') throw new Error('The Gemini API serves API keys only');
    return { credential, auth: { apiKey: credential.apiKey, proxy: credential.proxy } };
  }

  /** Every action posts the native body as the client (or the translation) shaped it. */
  encode(_action: ModelAction, _body: unknown, json: () => string): string {
    return json();
  }

  generate(auth: GeminiApiAuth, call: BackendCall): Promise<GeminiResponse> {
    return this.post<GeminiResponse>(auth, 'generateContent', call);
  }

  /**
   * generateContent as the bytes Google sent: a native client gets them unchanged, so parsing
   * and serialising them again would be work for nothing (most of it for long answers).
   */
  async generateBytes(auth: GeminiApiAuth, call: BackendCall): Promise<RelayedAnswer> {
    const bytes = await this.http.bytes({
      method: 'POST',
      url: this.modelUrl(call.model, 'generateContent'),
      headers: this.headers(auth),
      body: call.payload,
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
    return relayedAnswer(bytes);
  }

  async stream(auth: GeminiApiAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>> {
    const events = await this.http.sse({
      method: 'POST',
      url: `${this.modelUrl(call.model, 'streamGenerateContent')}?alt=sse`,
      headers: this.headers(auth),
      body: call.payload,
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
    return parseEvents(events);
  }

  countTokens(auth: GeminiApiAuth, call: BackendCall): Promise<JsonObject> {
    return this.post<JsonObject>(auth, 'countTokens', call);
  }

  embed(auth: GeminiApiAuth, action: EmbedAction, call: BackendCall): Promise<JsonObject> {
    return this.post<JsonObject>(auth, action, call);
  }

  /** Every model the key can see, following Google's pages. */
  async listModels(auth: GeminiApiAuth, signal: AbortSignal): Promise<JsonObject[]> {
    const models: JsonObject[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const query = `pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const answer = await this.http.json<{ models?: JsonObject[]; nextPageToken?: string }>({
        method: 'GET',
        url: `${this.options.endpoint}/v1beta/models?${query}`,
        headers: this.headers(auth),
        signal,
        timeoutMs: this.options.timeoutMs,
        proxy: auth.proxy,
      });
      models.push(...(answer.models ?? []));
      pageToken = answer.nextPageToken;
      if (!pageToken) break;
    }
    return models;
  }

  /**
   * Files, cached contents, batches and interactions. An absolute target is an upload session
   * Google handed out; it is only ever one of Google's own URLs, so the key may go with it.
   */
  resource(auth: GeminiApiAuth, call: ResourceCall): Promise<UpstreamResponse> {
    const url = /^https?:\/\//.test(call.target)
      ? call.target
      : `${this.options.endpoint}${call.target}`;
    return this.http.send({
      method: call.method,
      url,
      headers: { ...call.headers, 'x-goog-api-key': auth.apiKey },
      body: call.body,
      signal: call.signal,
      timeoutMs: call.timeoutMs ?? this.options.timeoutMs,
      proxy: auth.proxy,
    });
  }

  private post<T>(auth: GeminiApiAuth, action: string, call: BackendCall): Promise<T> {
    return this.http.json<T>({
      method: 'POST',
      url: this.modelUrl(call.model, action),
      headers: this.headers(auth),
      body: call.payload,
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
  }

  private modelUrl(model: string, action: string): string {
    return `${this.options.endpoint}/v1beta/models/${encodeURIComponent(model)}:${action}`;
  }

  private headers(auth: GeminiApiAuth): Record<string, string> {
    return { 'x-goog-api-key': auth.apiKey, 'content-type': 'application/json' };
  }
}
