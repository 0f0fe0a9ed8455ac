import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { credentialsConfig, upstreamConfig } from '../config/configuration';
import { Clock } from '../credentials/clock';
import { Credential, CredentialKind, OAuthCredential } from '../credentials/credential';
import {
  BackoffPolicy,
  CredentialPool,
  MODEL_UNAVAILABLE_BACKOFF,
  RATE_LIMIT_BACKOFF,
  Selection,
} from '../credentials/credential-pool';
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
import {
  classifyUpstreamError,
  DAILY_QUOTA_REASON,
  isKnownReason,
  Verdict,
} from './error-classifier';
import { GeminiApiClient } from './gemini-api-client';
import { GeminiRequest, GeminiResponse, GeminiUsageMetadata, JsonObject } from './gemini-types';
import { ObservedStream, primeStream } from './observed-stream';
import { nextPacificMidnight } from './quota-reset';
import {
  BackendCall,
  EmbedAction,
  ModelAction,
  UpstreamAuth,
  UpstreamBackend,
} from './upstream-backend';
import { UpstreamEvents } from './upstream-events';
import { toApiError, noCredentialError } from './upstream-error-mapping';
import { TokenEndpointError, UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

export interface DispatchRequest<B = GeminiRequest> {
  /** The upstream model id, without `models/` and without proxy suffixes. */
  model: string;
  body: B;
  signal: AbortSignal;
}

type Attempt<T> = (backend: UpstreamBackend, auth: UpstreamAuth, call: BackendCall) => Promise<T>;

/** The request body as each kind of credential's API takes it, serialised before any pick. */
type Payloads = Partial<Record<CredentialKind, string>>;

/** What a successful dispatch hands back: the answer and who served it. */
interface Served<T> {
  value: T;
  credential: Credential;
  startedAt: number;
}

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
    @Inject(credentialsConfig.KEY)
    private readonly credentialsCfg: ConfigType<typeof credentialsConfig>,
  ) {}

  async generate(req: DispatchRequest): Promise<GeminiResponse> {
    const served = await this.run(req, 'generateContent', undefined, (backend, auth, call) =>
      backend.generate(auth, call),
    );
    this.reportUsage(req.model, served.credential.id, served.value.usageMetadata);
    return served.value;
  }

  /**
   * generateContent for a native client: a backend that can relay Google's bytes unchanged does
   * (the Gemini API); any other answer is serialised once here.
   */
  async generateBytes(req: DispatchRequest): Promise<Buffer> {
    const served = await this.run(
      req,
      'generateContent',
      undefined,
      async (backend, auth, call) => {
        if (backend.generateBytes) return backend.generateBytes(auth, call);
        const answer = await backend.generate(auth, call);
        return { bytes: Buffer.from(JSON.stringify(answer)), usage: answer.usageMetadata };
      },
    );
    this.reportUsage(req.model, served.credential.id, served.value.usage);
    return served.value.bytes;
  }

  /**
   * Resolves once Google has sent the first event, so failover stays possible until then. The
   * stream handed back reports time to first token now, and token usage and how it ended later.
   */
  async stream(req: DispatchRequest): Promise<AsyncIterable<GeminiResponse>> {
    const {
      value: primed,
      credential,
      startedAt,
    } = await this.run(req, 'streamGenerateContent', undefined, async (backend, auth, call) =>
      primeStream(await backend.stream(auth, call), () => this.clock.now()),
    );
    const model = req.model;
    this.events.emit('firstToken', {
      model,
      credentialId: credential.id,
      ms: primed.firstAt - startedAt,
    });
    let usage: GeminiUsageMetadata | undefined;
    return new ObservedStream(primed, {
      onEvent: (event) => {
        // Google repeats cumulative usage on late events; the last one seen is the total.
        if (event.usageMetadata) usage = event.usageMetadata;
      },
      onEnd: (completed, error) => {
        this.reportUsage(model, credential.id, usage);
        if (completed) {
          this.events.emit('streamEnd', {
            model,
            credentialId: credential.id,
            outcome: 'complete',
          });
        } else if (error === undefined || req.signal.aborted) {
          this.events.emit('streamEnd', { model, credentialId: credential.id, outcome: 'aborted' });
        } else if (!isFromGoogle(error)) {
          this.localFailure(error);
          this.events.emit('streamEnd', { model, credentialId: credential.id, outcome: 'error' });
        } else {
          // Too late to fail over, but the credential still answers for a cut or an in-stream error.
          const verdict = this.handleFailure(credential, model, error);
          this.events.emit('streamEnd', {
            model,
            credentialId: credential.id,
            outcome: 'error',
            verdict,
          });
        }
      },
    });
  }

  async countTokens(req: DispatchRequest<JsonObject>): Promise<JsonObject> {
    const served = await this.run(req, 'countTokens', undefined, (backend, auth, call) =>
      backend.countTokens(auth, call),
    );
    return served.value;
  }

  /** Code Assist has no embeddings API, so these go to API-key credentials only. */
  async embed(action: EmbedAction, req: DispatchRequest<JsonObject>): Promise<JsonObject> {
    const served = await this.run(req, action, 'api-key', (_backend, auth, call) =>
      this.geminiApi.embed(auth, action, call),
    );
    return served.value;
  }

  private async run<T>(
    req: DispatchRequest<unknown>,
    action: ModelAction,
    kind: CredentialKind | undefined,
    attempt: Attempt<T>,
  ): Promise<Served<T>> {
    const startedAt = this.clock.now();
    const tried = new Set<string>();
    let lastError: unknown;
    let lastFault: unknown;
    let rateLimited = false;
    let status = 200;
    let credentialId: string | undefined;
    try {
      const payloads = this.encode(action, req.body, kind);
      for (let n = 1; n <= this.config.maxAttempts; n++) {
        const selection = this.pool.select({ model: req.model, kind, exclude: tried });
        if (selection.outcome !== 'selected') {
          if (tried.size === 0) throw this.noneAvailable(selection, req.model, lastError);
          break;
        }
        const credential = selection.credential;
        tried.add(credential.id);
        credentialId = credential.id;
        const t0 = this.clock.now();
        try {
          const value = await this.callWith(credential, req, payloads, action, n, attempt);
          this.pool.markSuccess(credential.id, req.model);
          this.events.emit('attempt', {
            credential,
            model: req.model,
            action,
            attempt: n,
            durationMs: this.clock.now() - t0,
            outcome: 'success',
          });
          return { value, credential, startedAt };
        } catch (error) {
          // A client that hung up is nobody's fault: no cooldown, no further attempt.
          if (req.signal.aborted)
            throw new UpstreamNetworkError('aborted', 'The client closed the request');
          // Only Google's answers and the network to Google may change a credential's state.
          if (!isFromGoogle(error)) throw this.localFailure(error);
          const verdict = this.handleFailure(credential, req.model, error);
          this.events.emit('attempt', {
            credential,
            model: req.model,
            action,
            attempt: n,
            durationMs: this.clock.now() - t0,
            outcome: 'failure',
            verdict,
          });
          if (verdict.action === 'client-error') throw error;
          lastError = error;
          if (verdict.action === 'transient' || verdict.action === 'refresh') lastFault = error;
          rateLimited ||= verdict.action === 'cooldown';
        }
      }
      throw this.exhausted(req.model, kind, lastError, lastFault, rateLimited);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : toApiError(error);
      status = apiError.status;
      throw apiError;
    } finally {
      this.events.emit('dispatch', {
        model: req.model,
        action,
        attempts: tried.size,
        credentialId,
        status,
        durationMs: this.clock.now() - startedAt,
      });
    }
  }

  /**
   * Serialises the body once per backend that may serve the request, before any credential is
   * picked. The whole body is stringified at most once, whatever the backends. A body the proxy
   * cannot serialise (nested too deeply for the stack) is the client's 400, and no attempt's.
   */
  private encode(action: ModelAction, body: unknown, kind: CredentialKind | undefined): Payloads {
    let whole: string | undefined;
    const json = () => (whole ??= JSON.stringify(body) ?? '{}');
    const payloads: Payloads = {};
    try {
      for (const k of kind ? [kind] : CREDENTIAL_KINDS) {
        payloads[k] = this.backendFor(k).encode(action, body, json);
      }
    } catch (error) {
      throw ApiError.badRequest(
        error instanceof RangeError
          ? 'The request body is nested too deeply to be sent to Google.'
          : `The request body cannot be sent to Google: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return payloads;
  }

  private backendFor(kind: CredentialKind): UpstreamBackend {
    switch (kind) {
      case 'api-key':
        return this.geminiApi;
      case 'oauth':
        return this.codeAssist;
    }
  }

  /** A failure of the proxy's own during an attempt (a bug): a 500 that blames no credential. */
  private localFailure(error: unknown): ApiError {
    this.logger.error(
      `Internal failure while calling Google: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return new ApiError({
      status: 500,
      kind: 'internal',
      message:
        'The proxy failed while calling Google; the request was not charged to any credential.',
    });
  }

  /** No credential could even be tried. */
  private noneAvailable(
    selection: Exclude<Selection, { outcome: 'selected' }>,
    model: string,
    lastError: unknown,
  ): ApiError {
    if (selection.outcome === 'all-cooling' && selection.unavailable) {
      return modelUnavailable(model, selection.soonest, this.clock.now());
    }
    return noCredentialError(selection, model, this.clock.now(), lastError);
  }

  /**
   * After the attempts ran out: when every credential is now cooling and a rate limit was among
   * the failures, 429 with the soonest recovery. Else Google's own answer, and Google's last
   * passing fault (its 5xx) before any other: with credentials still eligible, a 429 from one of
   * them would tell the client to back off from a pool that is not rate-limited.
   */
  private exhausted(
    model: string,
    kind: CredentialKind | undefined,
    lastError: unknown,
    lastFault: unknown,
    rateLimited: boolean,
  ): unknown {
    const again = this.pool.select({ model, kind });
    if (again.outcome === 'all-cooling') {
      if (again.unavailable) return modelUnavailable(model, again.soonest, this.clock.now());
      if (rateLimited) return noCredentialError(again, model, this.clock.now(), lastError);
    }
    return lastFault ?? lastError;
  }

  private async callWith<T>(
    credential: Credential,
    req: DispatchRequest<unknown>,
    payloads: Payloads,
    action: string,
    n: number,
    attempt: Attempt<T>,
  ): Promise<T> {
    this.pool.markUsed(credential.id);
    const call: BackendCall = {
      model: req.model,
      payload: payloads[credential.kind] ?? '',
      signal: req.signal,
    };
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
      accessToken: await this.token(ready, fresh, req.signal),
      projectId: ready.projectId ?? '',
    });
    try {
      return await attempt(this.codeAssist, await auth(false), call);
    } catch (error) {
      // A 401 means the access token died early (revoked, clock skew): refresh once, retry once.
      // A refresh that fails (invalid_grant) throws from auth(true) and is classified as such.
      if (req.signal.aborted || classifyUpstreamError(error, this.clock.now()).action !== 'refresh')
        throw error;
      this.events.emit('retry', {
        credentialId: credential.id,
        model: req.model,
        reason: 'token-refresh',
      });
      return attempt(this.codeAssist, await auth(true), call);
    }
  }

  /** Finds or creates the credential's Code Assist project once, sharing the work between requests. */
  private ensureProject(
    credential: OAuthCredential,
    signal: AbortSignal,
  ): Promise<OAuthCredential> {
    if (credential.projectId) return Promise.resolve(credential);
    const running = this.setups.get(credential.id);
    if (running) return running;
    const promise = (async () => {
      const token = await this.token(credential, false, signal);
      const api = this.codeAssist.setupApi(token, signal);
      const result = await setUpCodeAssistProject(api, {
        projectId: this.credentialsCfg.googleCloudProject,
      });
      this.logger.log(
        `Credential ${credential.id} uses project ${result.projectId} (${result.tierId})`,
      );
      return this.credentials.setProject(credential, result.projectId);
    })().finally(() => this.setups.delete(credential.id));
    this.setups.set(credential.id, promise);
    return promise;
  }

  /**
   * An access token, within UPSTREAM_TIMEOUT_MS: google-auth-library sets no time limit on the token
   * endpoint, so a hanging refresh would otherwise hold the request (and the client) forever.
   */
  private token(credential: OAuthCredential, fresh: boolean, signal: AbortSignal): Promise<string> {
    const pending = fresh
      ? this.credentials.forceRefresh(credential)
      : this.credentials.accessToken(credential);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new UpstreamNetworkError('timeout', 'Google’s token endpoint did not answer in time'),
          ),
        this.config.timeoutMs,
      );
      const onAbort = () =>
        reject(new UpstreamNetworkError('aborted', 'The client closed the request'));
      signal.addEventListener('abort', onAbort, { once: true });
      const failed = (error: unknown) => reject(new TokenEndpointError(error));
      pending.then(resolve, failed).finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
    });
  }

  private handleFailure(credential: Credential, model: string, error: unknown): Verdict {
    const verdict = setupVerdict(error) ?? classifyUpstreamError(error, this.clock.now());
    const status = (error as { status?: number }).status ?? 0;
    if (!isKnownReason(verdict.reason) && !this.reportedReasons.has(verdict.reason)) {
      this.reportedReasons.add(verdict.reason);
      this.logger.warn(
        `Google gave an unrecognised reason "${verdict.reason}" (HTTP ${status}); handled as ${verdict.action}`,
      );
    }
    switch (verdict.action) {
      case 'cooldown': {
        const scope = verdict.scope === 'credential' ? ALL_MODELS : model;
        // A daily quota with no reset time in the answer resets at midnight Pacific, not in seconds.
        const untilMs =
          verdict.untilMs ??
          (verdict.reason === DAILY_QUOTA_REASON
            ? nextPacificMidnight(this.clock.now())
            : undefined);
        const until = this.cool(credential, scope, verdict.reason, untilMs, RATE_LIMIT_BACKOFF);
        this.pool.recordError(credential.id, status || 429, verdict.reason, verdict.message, true);
        this.logger.log(
          `${credential.id} rate-limited on ${model} (${verdict.reason}); cooling ${Math.ceil((until - this.clock.now()) / 1000)}s`,
        );
        break;
      }
      case 'disable':
        this.pool.disable(credential.id, {
          reason: verdict.reason,
          message: verdict.message,
          fixUrl: verdict.fixUrl,
        });
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        this.events.emit('disable', { credentialId: credential.id, reason: verdict.reason });
        this.logger.warn(
          `Disabled ${credential.id}: ${verdict.reason}: ${verdict.message}${verdict.fixUrl ? ` (fix: ${verdict.fixUrl})` : ''}`,
        );
        break;
      case 'model-unavailable':
        this.cool(credential, model, verdict.reason, undefined, MODEL_UNAVAILABLE_BACKOFF);
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        this.logger.warn(`${credential.id} cannot serve ${model}: ${verdict.message}`);
        break;
      case 'transient':
      case 'refresh': {
        // 'refresh' here means the retry with a fresh token failed again: a passing fault too.
        // A passing fault only puts the credential behind the others; it stays eligible.
        const until = this.pool.lowerPriority(credential.id, model, verdict.reason);
        if (until !== undefined) {
          this.events.emit('cooldown', {
            credentialId: credential.id,
            model,
            reason: verdict.reason,
            kind: 'transient',
            until,
          });
        }
        this.pool.recordError(credential.id, status, verdict.reason, verdict.message);
        this.logger.warn(`${credential.id} failed on ${model}: ${verdict.message}`);
        break;
      }
      case 'client-error':
        break;
    }
    return verdict;
  }

  private cool(
    credential: Credential,
    model: string,
    reason: string,
    untilMs: number | undefined,
    policy: BackoffPolicy,
  ): number {
    const until = this.pool.cool(credential.id, model, reason, untilMs, policy);
    this.events.emit('cooldown', {
      credentialId: credential.id,
      model,
      reason,
      kind: policy.kind,
      until,
    });
    return until;
  }

  private reportUsage(
    model: string,
    credentialId: string,
    usage: GeminiUsageMetadata | undefined,
  ): void {
    if (!usage) return;
    this.events.emit('usage', {
      model,
      credentialId,
      prompt: usage.promptTokenCount ?? 0,
      completion: usage.candidatesTokenCount ?? 0,
      thoughts: usage.thoughtsTokenCount ?? 0,
    });
  }
}

/** Every credential answered 404 for this model lately: say so, rather than "rate-limited". */
function modelUnavailable(model: string, soonest: number, now: number): ApiError {
  const minutes = Math.max(1, Math.ceil((soonest - now) / 60_000));
  return new ApiError({
    status: 404,
    kind: 'not_found',
    googleStatus: 'NOT_FOUND',
    message:
      `Model ${model} is not available to any credential in the pool (Google answered 404 for each). ` +
      `Check the model name or the accounts' entitlements; the proxy asks Google again in ${minutes} min.`,
  });
}

const CREDENTIAL_KINDS: readonly CredentialKind[] = ['oauth', 'api-key'];

/**
 * Google's answer, the network to Google, its token endpoint or its onboarding: the failures that
 * may change a credential's state. Anything else thrown during an attempt is the proxy's own.
 */
function isFromGoogle(error: unknown): boolean {
  return (
    error instanceof UpstreamHttpError ||
    error instanceof UpstreamNetworkError ||
    error instanceof TokenEndpointError ||
    setupVerdict(error) !== undefined
  );
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
