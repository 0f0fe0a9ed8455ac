import { Injectable } from '@nestjs/common';
import { Credential } from '../../credentials/credential';
import { GeminiResponse, JsonObject } from '../gemini-types';
import { BackendCall, BackendSession, ModelAction, UpstreamBackend } from '../upstream-backend';
import { CodeAssistAuth, CodeAssistClient } from './code-assist-client';
import { CodeAssistSessions } from './code-assist-sessions';

/** OAuth accounts, served through Google's Code Assist API (the backend of gemini-cli). */
@Injectable()
export class CodeAssistBackend implements UpstreamBackend<CodeAssistAuth> {
  readonly kind = 'oauth';
  readonly api = 'code-assist';

  constructor(
    private readonly client: CodeAssistClient,
    private readonly sessions: CodeAssistSessions,
  ) {}

  /** Code Assist has no embeddings API. */
  supports(action: ModelAction): boolean {
    return action !== 'embedContent' && action !== 'batchEmbedContents';
  }

  encode(action: ModelAction, body: unknown, json: () => string): string {
    return this.client.encode(action, body, json);
  }

  open(credential: Credential, signal: AbortSignal): Promise<BackendSession<CodeAssistAuth>> {
    if (credential.kind !== 'oauth') throw new Error('Code Assist serves OAuth credentials only');
    return this.sessions.open(credential, signal);
  }

  generate(auth: CodeAssistAuth, call: BackendCall): Promise<GeminiResponse> {
    return this.client.generate(auth, call);
  }

  stream(auth: CodeAssistAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>> {
    return this.client.stream(auth, call);
  }

  userQuota(auth: CodeAssistAuth, signal: AbortSignal): Promise<JsonObject> {
    return this.client.userQuota(auth, signal);
  }

  countTokens(auth: CodeAssistAuth, call: BackendCall): Promise<JsonObject> {
    return this.client.countTokens(auth, call);
  }

  embed(): Promise<JsonObject> {
    return Promise.reject(new Error('Code Assist has no embeddings API'));
  }
}
