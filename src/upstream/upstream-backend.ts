import type { Readable } from 'node:stream';
import { Credential, CredentialKind } from '../credentials/credential';
import { GeminiResponse, GeminiUsageMetadata, JsonObject } from './gemini-types';
import type { SendOptions, UpstreamResponse } from './upstream-http';

export type EmbedAction = 'embedContent' | 'batchEmbedContents';

export type ModelAction = 'generateContent' | 'streamGenerateContent' | 'countTokens' | EmbedAction;

/** One attempt with one credential. */
export interface BackendCall {
  model: string;
  /** The body as this API takes it, from the backend's `encode`, made once per request. */
  payload: string;
  signal: AbortSignal;
}

/** What an attempt with one credential sends, made ready by the backend that serves its kind. */
export interface BackendSession<A = unknown> {
  /** The credential as the attempt uses it (Code Assist may have found its project meanwhile). */
  credential: Credential;
  auth: A;
  /**
   * A fresh `auth` after Google answered 401 to this one (a token that died early). Absent when
   * the credential has nothing to refresh (an API key): the 401 then stands.
   */
  refresh?: () => Promise<A>;
}

/** A generateContent answer as Google's own bytes, its usage and the model Google says it ran. */
export interface RelayedAnswer {
  bytes: Buffer;
  usage?: GeminiUsageMetadata;
  modelVersion?: string;
}

/**
 * A call to one of Google's stateful resource APIs (files, cached contents, batches,
 * interactions), relayed as the client sent it.
 */
export interface ResourceCall {
  method: SendOptions['method'];
  /** `/v1beta/files?pageSize=10`, or the absolute upload-session URL Google handed out. */
  target: string;
  /** The client's headers that matter to Google (content type, `x-goog-upload-*`). */
  headers: Record<string, string>;
  body?: string | Readable;
  signal: AbortSignal;
  timeoutMs?: number;
}

/**
 * One Google model API, serving one kind of credential: Code Assist (`oauth`), the Gemini API
 * (`api-key`); another (Vertex AI) is one more folder beside them and one entry in
 * `BACKENDS` (upstream.module.ts). The dispatcher only talks to this interface, so it never
 * asks which kind a credential is. Streams throw UpstreamHttpError before yielding when Google
 * refuses the call, so the dispatcher can still fail over.
 *
 * `A` is the backend's own authentication (a key, or a token and a project), opaque to the caller.
 */
export interface UpstreamBackend<A = unknown> {
  /** The credential kind this backend serves. */
  readonly kind: CredentialKind;
  /** The API's name in debug logs. */
  readonly api: string;
  /** Whether this credential can serve the action at all (Code Assist has no embeddings API). */
  supports(action: ModelAction, credential: Credential): boolean;
  /**
   * Serialises the body as this API takes it. The dispatcher calls it once per request, before
   * any credential is picked, so a body the proxy cannot serialise is the client's error and
   * never an attempt's; `json` is the whole body serialised, computed at most once and shared by
   * every backend. Attempts only splice the result into their envelope.
   */
  encode(action: ModelAction, body: unknown, json: () => string): string;
  /**
   * Gets the credential ready for an attempt (a token, a project). Failures here are the
   * credential's (Google's token endpoint, onboarding) and are classified like the call's.
   */
  open(credential: Credential, signal: AbortSignal): Promise<BackendSession<A>>;
  generate(auth: A, call: BackendCall): Promise<GeminiResponse>;
  /** For a backend whose answer is already what a native client expects: relayed unparsed. */
  generateBytes?(auth: A, call: BackendCall): Promise<RelayedAnswer>;
  stream(auth: A, call: BackendCall): Promise<AsyncIterable<GeminiResponse>>;
  countTokens(auth: A, call: BackendCall): Promise<JsonObject>;
  /** Only called for credentials whose `supports` accepts the embed action. */
  embed(auth: A, action: EmbedAction, call: BackendCall): Promise<JsonObject>;
  /** The account's remaining quota per model, where the API tells it (Code Assist). */
  userQuota?(auth: A, signal: AbortSignal): Promise<JsonObject>;
  /**
   * Every model the credential can see, where the API lists them. Absent: the proxy's
   * maintained catalogue stands for this backend's credentials.
   */
  listModels?(auth: A, signal: AbortSignal): Promise<JsonObject[]>;
  /**
   * Google's stateful resources, where the API has them (the Gemini API does; Code Assist does
   * not). The answer comes back unread, whatever its status, for the caller to relay.
   */
  resource?(auth: A, call: ResourceCall): Promise<UpstreamResponse>;
}
