import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig, upstreamConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { Credential, CredentialKind, OAuthCredential } from '../credentials/credential';
import { CredentialPool, RATE_LIMIT_BACKOFF, TRANSIENT_BACKOFF } from '../credentials/credential-pool';
import { CredentialsService } from '../credentials/credentials.service';
import { ALL_MODELS } from '../credentials/pool-state-store';
import { ApiError } from '../http/api-error';
import { CodeAssistClient } from './code-assist-client';
import {
  IneligibleAccountError,
  OnboardingTimeoutError,
  ProjectRequiredError,
  setUpCodeAssistProject,
} from './code-assist-setup';
import { DebugLog } from './debug-log';
import { classifyUpstreamError, isKnownReason, Verdict } from './error-classifier';
import { GeminiApiClient } from './gemini-api-client';
import { GeminiRequest, GeminiResponse, JsonObject } from './gemini-types';
import { BackendCall, EmbedAction, UpstreamAuth, UpstreamBackend } from './upstream-backend';
import { UpstreamEvents } from './upstream-events';
import { toApiError, noCredentialError } from './upstream-error-mapping';
import { UpstreamNetworkError } from './upstream-errors';

export interface DispatchRequest<B = GeminiRequest> {
  /** The upstream model id, without `models/` and without proxy suffixes. */
  model: string;
  body: B;
  signal: AbortSignal;
}

/** How long a model stays marked unavailable for a credential after Google answered 404. */
const MODEL_UNAVAILABLE_MS = 10 * 60_000;

type Attempt<T> = (backend: UpstreamBackend, auth: UpstreamAuth, call: BackendCall<never>) => Promise<T>;

/**
 * Picks a credential, calls Google, and fails over by Google's reason until one answers, the
 * attempts run out, or the error is the client's own. Nothing has reached the client yet while
 * this runs; streams are primed with their first event before they are handed back.
 */
@Injectable()
export class UpstreamDispatcher {
  private readonly logger = new Logger('Dispatcher');
  private readonly setups = new Map<string, Promise<OAuthCredential>>();
  private readonly reportedReasons = new Set<string>();

  constructor(
    private readonly credentials: CredentialsService,
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
    private readonly codeAssist: CodeAssistClient,
    private readonly geminiApi: GeminiApiClient,
    private readonly debug: DebugLog,
    private readonly events: UpstreamEvents,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
    @Inject(credentialsConfig.KEY) private readonly credentialsCfg: ConfigType<typeof credentialsConfig>,
  ) {}

  generate(req: DispatchRequest): Promise<GeminiResponse> {
    return this.run(req, 'generateContent', undefined, (backend, auth, call) =>
      backend.generate(auth, call),
    );
  }

  /** Resolves once Google has sent the first event, so failover stays possible until then. */
  stream(req: DispatchRequest): Promise<AsyncIterable<GeminiResponse>> {
    return this.run(req, 'streamGenerateContent', undefined, async (backend, auth, call) =>
      primeStream(await backend.stream(auth, call)),
    );
  }

  countTokens(req: DispatchRequest<JsonObject>): Promise<JsonObject> {
    return this.run(req, 'countTokens', undefined, (backend, auth, call) =>
      backend.countTokens(auth, call),
    );
  }

  /** Code Assist has no embeddings API, so these go to API-key credentials only. */
  embed(action: EmbedAction, req: DispatchRequest<JsonObject>): Promise<JsonObject> {
    return this.run(req, action, 'api-key', (_backend, auth, call) =>
      this.geminiApi.embed(auth, action, call),
    );
  }

  private async run<T>(
    req: DispatchRequest<unknown>,
    action: string,
    kind: CredentialKind | undefined,
    attempt: Attempt<T>,
  ): Promise<T> {
    const started = this.clock.now();
    const tried = new Set<string>();
    let lastError: unknown;
    let lastVerdict: Verdict | undefined;
    let status = 200;
    let credentialId: string | undefined;
    try {
      for (let n = 1; n <= this.config.maxAttempts; n++) {
        const selection = this.pool.select({ model: req.model, kind, exclude: tried });
        if (selection.outcome !== 'selected') {
          if (tried.size === 0 || selection.outcome === 'all-cooling') {
            throw noCredentialError(selection, req.model, this.clock.now(), lastError);
          }
          break;
        }
        const credential = selection.credential;
        tried.add(credential.id);
        credentialId = credential.id;
        const t0 = this.clock.now();
        try {
          const result = await this.callWith(credential, req, action, n, attempt);
          this.pool.markSuccess(credential.id, req.model);
          this.events.emit('attempt', {
            credential, model: req.model, action, attempt: n, durationMs: this.clock.now() - t0, outcome: 'success',
          });
          return result;
        } catch (error) {
          if (req.signal.aborted) throw new UpstreamNetworkError('aborted', 'The client closed the request');
          const verdict = this.handleFailure(credential, req.model, error);
          this.events.emit('attempt', {
            credential, model: req.model, action, attempt: n, durationMs: this.clock.now() - t0, outcome: 'failure', verdict,
          });
          lastError = error;
          lastVerdict = verdict;
          if (verdict.action === 'client-error') throw error;
        }
      }
      throw this.exhausted(req.model, kind, lastError, lastVerdict);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : toApiError(error);
      status = apiError.status;
      throw apiError;
    } finally {
      this.events.emit('dispatch', {
        model: req.model, action, attempts: tried.size, credentialId, status, durationMs: this.clock.now() - started,
      });
    }
  }

  /** After the attempts ran out: all cooling → 429 with the soonest recovery; else Google's last answer. */
  private exhausted(model: string, kind: CredentialKind | undefined, lastError: unknown, verdict?: Verdict): unknown {
    if (verdict?.action === 'cooldown') {
      const again = this.pool.select({ model, kind });
      if (again.outcome === 'all-cooling') return noCredentialError(again, model, this.clock.now(), lastError);
    }
    return lastError;
  }

  private async callWith<T>(
    credential: Credential,
    req: DispatchRequest<unknown>,
    action: string,
    n: number,
    attempt: Attempt<T>,
  ): Promise<T> {
    this.pool.markUsed(credential.id);
    const call = { model: req.model, body: req.body, signal: req.signal } as BackendCall<never>;
    if (credential.kind === 'api-key') {
      this.debug.credential(credential, req.model, n);
      this.debug.upstreamRequest('gemini-api', action, req.model, req.body);
      return attempt(this.geminiApi, { kind: 'api-key', apiKey: credential.apiKey }, call);
    }
    const ready = await this.ensureProject(credential, req.signal);
    this.debug.credential(ready, req.model, n);
    this.debug.upstreamRequest('code-assist', action, req.model, req.body);
    const auth = async (fresh: boolean): Promise<UpstreamAuth> => ({
      kind: 'oauth',
      accessToken: fresh ? await this.credentials.forceRefresh(ready) : await this.credentials.accessToken(ready),
      projectId: ready.projectId ?? '',
    });
    try {
      return await attempt(this.codeAssist, await auth(false), call);
    } catch (error) {
      // A 401 means the access token died early (revoked, clock skew): refresh once, retry once.
      if (classifyUpstreamError(error, this.clock.now()).action !== 'refresh') throw error;
      return attempt(this.codeAssist, await auth(true), call);
    }
  }

  /** Finds or creates the credential's Code Assist project once, sharing the work between requests. */
  private ensureProject(credential: OAuthCredential, signal: AbortSignal): Promise<OAuthCredential> {
    if (credential.projectId) return Promise.resolve(credential);
    const running = this.setups.get(credential.id);
    if (running) return running;
    const promise = (async () => {
      const token = await this.credentials.accessToken(credential);
      const api = this.codeAssist.setupApi(token, signal);
      const result = await setUpCodeAssistProject(api as never, {
        projectId: this.credentialsCfg.googleCloudProject,
      });
      this.logger.log(`Credential ${credential.id} uses project ${result.projectId} (${result.tierId})`);
      return this.credentials.setProject(credential, result.projectId);
    })().finally(() => this.setups.delete(credential.id));
    this.setups.set(credential.id, promise);
    return promise;
  }

  private handleFailure(credential: Credential, model: string, error: unknown): Verdict {
    const verdict = setupVerdict(error) ?? classifyUpstreamError(error, this.clock.now());
    const status = (error as { status?: number }).status ?? 0;
    if (!isKnownReason(verdict.reason) && !this.reportedReasons.has(verdict.reason)) {
      this.reportedReasons.add(verdict.reason);
      this.logger.warn(`Google gave an unrecognised reason "${verdict.reason}" (HTTP ${status}); handled as ${verdict.action}`);
    }
    switch (verdict.action) {
      case 'cooldown': {
        const scope = verdict.scope === 'credential' ? ALL_MODELS : model;
        const until = this.pool.cool(credential.id, scope, verdict.reason, verdict.untilMs, RATE_LIMIT_BACKOFF);
        this.pool.recordError(credential.id, status || 429, verdict.reason, verdict.message, true);
        this.logger.log(`${credential.id} rate-limited on ${model} (${verdict.reason}); cooling ${Math.ceil((until - this.clock.now()) / 1000)}s`);
        break;
      }
      case 'disable':
        this.pool.disable(credential.id, { reason: verdict.reason, message: verdict.message, fixUrl: verdict.fixUrl });
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        this.logger.warn(`Disabled ${credential.id}: ${verdict.reason}: ${verdict.message}${verdict.fixUrl ? ` (fix: ${verdict.fixUrl})` : ''}`);
        break;
      case 'model-unavailable':
        this.pool.cool(credential.id, model, verdict.reason, this.clock.now() + MODEL_UNAVAILABLE_MS, TRANSIENT_BACKOFF);
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        break;
      case 'transient':
        this.pool.cool(credential.id, model, verdict.reason, undefined, TRANSIENT_BACKOFF);
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        this.logger.warn(`${credential.id} failed on ${model}: ${verdict.message}`);
        break;
      case 'refresh':
        // The retry with a fresh token failed again: treat it as a transient failure of this credential.
        this.pool.cool(credential.id, model, verdict.reason, undefined, TRANSIENT_BACKOFF);
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        break;
      case 'client-error':
        break;
    }
    return verdict;
  }
}

function setupVerdict(error: unknown): Verdict | undefined {
  if (error instanceof IneligibleAccountError) {
    const first = error.reasons[0];
    return {
      action: 'disable',
      reason: first?.reasonCode ?? 'INELIGIBLE',
      message: error.message,
      fixUrl: error.fixUrl,
    };
  }
  if (error instanceof ProjectRequiredError) {
    return { action: 'disable', reason: 'PROJECT_REQUIRED', message: error.message };
  }
  if (error instanceof OnboardingTimeoutError) {
    return { action: 'transient', reason: 'ONBOARDING_PENDING', message: error.message };
  }
  return undefined;
}

/** Waits for the first event, then hands back a stream that replays it before the rest. */
async function primeStream<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    [Symbol.asyncIterator]: () => {
      let replayed = false;
      return {
        next: () => {
          if (!replayed) {
            replayed = true;
            return Promise.resolve(first);
          }
          return iterator.next();
        },
        return: async (value?: unknown) => {
          await iterator.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
