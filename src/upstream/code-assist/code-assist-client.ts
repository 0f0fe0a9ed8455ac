import type {
  CodeAssistSetupApi,
  LoadCodeAssistResponse,
  LongRunningOperation,
} from './code-assist-setup';
import { GeminiResponse, JsonObject } from '../gemini-types';
import { parseEvent } from '../google-event';
import { BackendCall, ModelAction } from '../upstream-backend';
import { UpstreamHttp } from '../upstream-http';

// gemini-cli identifies itself this way; Code Assist uses it to recognise the client.
const CLI_VERSION = '0.30.0';
export const CODE_ASSIST_USER_AGENT = `GeminiCLI/${CLI_VERSION} (${process.platform}; ${process.arch})`;

export interface CodeAssistOptions {
  endpoint: string;
  timeoutMs: number;
}

/** Google's Code Assist API (`cloudcode-pa`, v1internal), the backend of gemini-cli. */
/** What a Code Assist call sends: an OAuth access token and the account's project. */
export interface CodeAssistAuth {
  accessToken: string;
  projectId: string;
  /** The account's own outbound proxy (DESIGN §14). */
  proxy?: string;
}

/**
 * The wire calls only; making a credential ready (token, project, onboarding) is
 * CodeAssistSessions' job, and CodeAssistBackend joins the two for the dispatcher.
 */
export class CodeAssistClient {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly options: CodeAssistOptions,
  ) {}

  /**
   * Generate and stream send the native request inside `{model, project, request}`, so the request
   * is serialised once and each attempt splices it into its own envelope. Code Assist counts
   * `{request:{model:"models/…", contents}}` only, as gemini-cli sends it.
   */
  encode(action: ModelAction, body: unknown, json: () => string): string {
    if (action !== 'countTokens') return json();
    const native = body as { contents?: unknown; generateContentRequest?: { contents?: unknown } };
    return JSON.stringify(native.contents ?? native.generateContentRequest?.contents ?? []);
  }

  async generate(auth: CodeAssistAuth, call: BackendCall): Promise<GeminiResponse> {
    const answer = await this.http.json<CodeAssistEnvelope>({
      method: 'POST',
      url: this.url('generateContent'),
      headers: this.headers(auth),
      body: envelope(auth, call),
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
    return unwrap(answer);
  }

  async stream(auth: CodeAssistAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>> {
    const events = await this.http.sse({
      method: 'POST',
      url: `${this.url('streamGenerateContent')}?alt=sse`,
      headers: this.headers(auth),
      body: envelope(auth, call),
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
    return unwrapStream(events);
  }

  async countTokens(auth: CodeAssistAuth, call: BackendCall): Promise<JsonObject> {
    return this.http.json<JsonObject>({
      method: 'POST',
      url: this.url('countTokens'),
      headers: this.headers(auth),
      body: `{"request":{"model":${JSON.stringify(`models/${call.model}`)},"contents":${call.payload}}}`,
      signal: call.signal,
      timeoutMs: this.options.timeoutMs,
      proxy: auth.proxy,
    });
  }

  /** `{buckets:[{modelId, remainingFraction, resetTime, …}]}`: the account's quota per model. */
  async userQuota(auth: CodeAssistAuth, signal: AbortSignal): Promise<JsonObject> {
    return this.http.json<JsonObject>({
      method: 'POST',
      url: this.url('retrieveUserQuota'),
      headers: this.headers(auth),
      body: JSON.stringify({ project: auth.projectId }),
      signal,
      timeoutMs: this.options.timeoutMs,
    });
  }

  /** The onboarding calls, bound to one access token, in the shape code-assist-setup expects. */
  setupApi(accessToken: string, signal: AbortSignal, proxy?: string): CodeAssistSetupApi {
    const post = <T>(method: string, body: Record<string, unknown>) =>
      this.http.json<T>({
        method: 'POST',
        url: this.url(method),
        headers: this.headers({ accessToken, projectId: '' }),
        body: JSON.stringify(body),
        signal,
        timeoutMs: this.options.timeoutMs,
        proxy,
      });
    return {
      loadCodeAssist: (body) => post<LoadCodeAssistResponse>('loadCodeAssist', body),
      onboardUser: (body) => post<LongRunningOperation>('onboardUser', body),
      getOperation: (name) =>
        this.http.json<LongRunningOperation>({
          method: 'GET',
          url: `${this.options.endpoint}/v1internal/${name}`,
          headers: this.headers({ accessToken, projectId: '' }),
          signal,
          timeoutMs: this.options.timeoutMs,
          proxy,
        }),
    };
  }

  private url(method: string): string {
    return `${this.options.endpoint}/v1internal:${method}`;
  }

  private headers(auth: CodeAssistAuth): Record<string, string> {
    return {
      authorization: `Bearer ${auth.accessToken}`,
      'content-type': 'application/json',
      'user-agent': CODE_ASSIST_USER_AGENT,
    };
  }
}

interface CodeAssistEnvelope {
  response?: GeminiResponse;
  result?: GeminiResponse;
  traceId?: string;
  [key: string]: unknown;
}

/** `{model, project, request}` around the request serialised once by `encode`. */
function envelope(auth: CodeAssistAuth, call: BackendCall): string {
  return `{"model":${JSON.stringify(call.model)},"project":${JSON.stringify(auth.projectId)},"request":${call.payload}}`;
}

/** Code Assist wraps each answer as `{response, traceId}`; gemini-cli maps traceId to responseId. */
export function unwrap(answer: CodeAssistEnvelope): GeminiResponse {
  const inner = answer.response ?? answer.result;
  if (!inner || typeof inner !== 'object') {
    // A usage-only event (seen on some streams) carries usageMetadata at the top level.
    const { traceId, ...rest } = answer;
    return { ...(rest as GeminiResponse), ...(traceId ? { responseId: traceId } : {}) };
  }
  if (answer.traceId && !inner.responseId) return { ...inner, responseId: answer.traceId };
  return inner;
}

async function* unwrapStream(events: AsyncIterable<string>): AsyncGenerator<GeminiResponse> {
  for await (const data of events) {
    if (data.trim() === '' || data.trim() === '[DONE]') continue;
    yield unwrap(parseEvent(data));
  }
}
