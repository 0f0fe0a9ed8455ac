import { usageOf } from './answer-usage';
import { GeminiResponse, JsonObject } from './gemini-types';
import { decodeSse } from './sse-decoder';
import {
  BackendCall,
  EmbedAction,
  EmbeddingBackend,
  RelayedAnswer,
  UpstreamAuth,
  UpstreamBackend,
} from './upstream-backend';
import { parseEvent } from './code-assist-client';
import { UpstreamNetworkError } from './upstream-errors';
import { httpError, readText, toNetworkError, UpstreamHttp } from './upstream-http';

export interface GeminiApiOptions {
  endpoint: string;
  timeoutMs: number;
}

/** Google's Gemini API (AI Studio keys, `generativelanguage.googleapis.com`, v1beta). */
export class GeminiApiClient implements UpstreamBackend, EmbeddingBackend {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly options: GeminiApiOptions,
  ) {}

  generate(auth: UpstreamAuth, call: BackendCall): Promise<GeminiResponse> {
    return this.post<GeminiResponse>(auth, call.model, 'generateContent', call.body, call.signal);
  }

  /**
   * generateContent as the bytes Google sent: a native client gets them unchanged, so parsing
   * and serialising them again would be work for nothing (most of it for long answers).
   */
  async generateBytes(auth: UpstreamAuth, call: BackendCall): Promise<RelayedAnswer> {
    const res = await this.http.send({
      method: 'POST',
      url: this.modelUrl(call.model, 'generateContent'),
      headers: this.headers(auth),
      body: JSON.stringify(call.body),
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
    });
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.body.arrayBuffer());
    } catch (error) {
      throw toNetworkError(error, call.signal);
    }
    if (res.status < 200 || res.status >= 300) throw httpError(res, bytes.toString('utf8'));
    if (!startsAnObject(bytes)) {
      throw new UpstreamNetworkError(
        'protocol',
        `Google sent a response that is not JSON (HTTP ${res.status})`,
      );
    }
    return { bytes, usage: usageOf(bytes) };
  }

  async stream(auth: UpstreamAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>> {
    const res = await this.http.send({
      method: 'POST',
      url: `${this.modelUrl(call.model, 'streamGenerateContent')}?alt=sse`,
      headers: this.headers(auth),
      body: JSON.stringify(call.body),
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
    });
    if (res.status !== 200) throw httpError(res, await readText(res, call.signal));
    return parseStream(res.body, call.signal);
  }

  countTokens(auth: UpstreamAuth, call: BackendCall<JsonObject>): Promise<JsonObject> {
    return this.post<JsonObject>(auth, call.model, 'countTokens', call.body, call.signal);
  }

  embed(
    auth: UpstreamAuth,
    action: EmbedAction,
    call: BackendCall<JsonObject>,
  ): Promise<JsonObject> {
    return this.post<JsonObject>(auth, call.model, action, call.body, call.signal);
  }

  /** Every model the key can see, following Google's pages. */
  async listModels(auth: UpstreamAuth, signal: AbortSignal): Promise<JsonObject[]> {
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
      });
      models.push(...(answer.models ?? []));
      pageToken = answer.nextPageToken;
      if (!pageToken) break;
    }
    return models;
  }

  private post<T>(
    auth: UpstreamAuth,
    model: string,
    action: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<T> {
    return this.http.json<T>({
      method: 'POST',
      url: this.modelUrl(model, action),
      headers: this.headers(auth),
      body: JSON.stringify(body),
      signal,
      timeoutMs: this.options.timeoutMs,
    });
  }

  private modelUrl(model: string, action: string): string {
    return `${this.options.endpoint}/v1beta/models/${encodeURIComponent(model)}:${action}`;
  }

  private headers(auth: UpstreamAuth): Record<string, string> {
    if (auth.kind !== 'api-key') throw new Error('The Gemini API needs an API key');
    return { 'x-goog-api-key': auth.apiKey, 'content-type': 'application/json' };
  }
}

/** Whether the first byte past any whitespace opens a JSON object (a proxy's HTML page does not). */
function startsAnObject(bytes: Buffer): boolean {
  for (const c of bytes) {
    if (c === 0x7b) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

async function* parseStream(
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<GeminiResponse> {
  try {
    for await (const data of decodeSse(body)) {
      if (data.trim() === '') continue;
      yield parseEvent(data);
    }
  } catch (error) {
    throw toNetworkError(error, signal);
  }
}
