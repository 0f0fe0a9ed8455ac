import { Injectable } from '@nestjs/common';
import { Credential, VertexServiceAccountCredential } from '../../credentials/credential';
import { CredentialsService } from '../../credentials/credentials.service';
import { GeminiResponse, JsonObject } from '../gemini-types';
import {
  BackendCall,
  BackendSession,
  EmbedAction,
  ModelAction,
  RelayedAnswer,
  UpstreamBackend,
} from '../upstream-backend';
import { waitForToken } from '../token-wait';
import { serviceAccountRefusal } from './service-account-refusal';
import { VertexAuth, VertexClient } from './vertex-client';

/**
 * Vertex AI credentials: service accounts (a token by the JWT bearer grant, their project and
 * location) and express-mode keys (the global host, no embeddings).
 */
@Injectable()
export class VertexBackend implements UpstreamBackend<VertexAuth> {
  readonly kind = 'vertex';
  readonly api = 'vertex';

  constructor(
    private readonly client: VertexClient,
    private readonly credentials: CredentialsService,
  ) {}

  /** Express mode has no embeddings API; a service account's project has. */
  supports(action: ModelAction, credential: Credential): boolean {
    if (action !== 'embedContent' && action !== 'batchEmbedContents') return true;
    return credential.kind === 'vertex' && credential.mode === 'service-account';
  }

  encode(action: ModelAction, body: unknown, json: () => string): string {
    return this.client.encode(action, body, json);
  }

  async open(credential: Credential, signal: AbortSignal): Promise<BackendSession<VertexAuth>> {
    if (credential.kind !== 'vertex') throw new Error('Vertex AI serves Vertex credentials only');
    if (credential.mode === 'express') {
      return {
        credential,
        auth: { mode: 'express', apiKey: credential.apiKey, proxy: credential.proxy },
      };
    }
    const auth = async (fresh: boolean): Promise<VertexAuth> => ({
      mode: 'service-account',
      accessToken: await this.token(credential, fresh, signal),
      projectId: credential.projectId,
      location: credential.location,
      proxy: credential.proxy,
    });
    return { credential, auth: await auth(false), refresh: () => auth(true) };
  }

  generate(auth: VertexAuth, call: BackendCall): Promise<GeminiResponse> {
    return this.client.generate(auth, call);
  }

  generateBytes(auth: VertexAuth, call: BackendCall): Promise<RelayedAnswer> {
    return this.client.generateBytes(auth, call);
  }

  stream(auth: VertexAuth, call: BackendCall): Promise<AsyncIterable<GeminiResponse>> {
    return this.client.stream(auth, call);
  }

  countTokens(auth: VertexAuth, call: BackendCall): Promise<JsonObject> {
    return this.client.countTokens(auth, call);
  }

  embed(auth: VertexAuth, action: EmbedAction, call: BackendCall): Promise<JsonObject> {
    return this.client.embed(auth, action, call);
  }

  /**
   * A token by the JWT bearer grant. Its time limit is the token provider's (TOKEN_TIMEOUT_MS,
   * shared by every request waiting on one grant); a client that hangs up stops waiting at once.
   */
  private token(
    credential: VertexServiceAccountCredential,
    fresh: boolean,
    signal: AbortSignal,
  ): Promise<string> {
    const pending = this.credentials
      .serviceAccountToken(credential, fresh)
      .catch((error: unknown) => {
        throw serviceAccountRefusal(error, credential) ?? error;
      });
    return waitForToken(pending, signal);
  }
}
