import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { upstreamConfig } from '../config/configuration';
import { Credential } from '../credentials/credential';
import { CredentialPool } from '../credentials/credential-pool';
import { Clock } from '../time/clock';
import { ApiError } from '../errors/api-error';
import { FailurePolicy } from '../upstream/failure-policy';
import { ownerGone, ownerUnavailable, ResourcePin } from '../upstream/resource-pin';
import { ResourceCall } from '../upstream/upstream-backend';
import { UpstreamBackends } from '../upstream/upstream-backends';
import { toApiError, noCredentialError } from '../upstream/upstream-error-mapping';
import { isFromGoogle } from '../upstream/upstream-errors';
import { httpError, readText, UpstreamResponse } from '../upstream/upstream-http';

/** Google's 2xx answer and the credential that got it. */
export interface Served {
  response: UpstreamResponse;
  credential: Credential;
}

/** Who may serve a call: its owner alone, or any capable credential (with failover when replayable). */
export type Route =
  { pin: ResourcePin; model: string } | { any: true; model: string; replayable: boolean };

/**
 * Calls Google's resource APIs (files, caches, batches, interactions) through the pool. Only
 * credentials whose backend has them serve (the Gemini API; Code Assist has none). A 403 or 404
 * about a resource is the answer, never the credential's fault: Google says 403 for another
 * project's file, and a key must not be disabled for it.
 */
@Injectable()
export class ResourceCaller {
  constructor(
    private readonly pool: CredentialPool,
    private readonly backends: UpstreamBackends,
    private readonly failures: FailurePolicy,
    private readonly clock: Clock,
    @Inject(upstreamConfig.KEY) private readonly config: ConfigType<typeof upstreamConfig>,
  ) {}

  /** The credentials that can serve resource calls, in pool order; none is the client's 400. */
  capable(): Credential[] {
    const capable = this.pool.list().filter((c) => this.backends.for(c).resource !== undefined);
    if (capable.length === 0) throw noResourceApi();
    return capable;
  }

  /** The capable credentials a merged list reads: a disabled key's items cannot be used anyway. */
  listable(): Credential[] {
    return this.capable().filter((c) => !this.pool.isDisabled(c.id));
  }

  async call(route: Route, call: ResourceCall): Promise<Served> {
    this.capable();
    if ('pin' in route) return this.onOwner(route.pin, route.model, call);
    const tried = new Set<string>();
    const attempts = route.replayable ? this.config.maxAttempts : 1;
    let lastError: unknown;
    for (let n = 0; n < attempts; n++) {
      const selection = this.pool.select({
        model: route.model,
        canServe: (c) => this.backends.for(c).resource !== undefined,
        exclude: tried,
      });
      if (selection.outcome !== 'selected') {
        if (tried.size === 0) throw noCredentialError(selection, route.model, this.clock.now());
        break;
      }
      tried.add(selection.credential.id);
      try {
        return await this.attempt(selection.credential, route.model, call);
      } catch (error) {
        if (error instanceof ApiError || !failsOver(error)) throw toApiError(error);
        lastError = error;
      }
    }
    throw toApiError(lastError);
  }

  /** One credential, named: a list page, or a look for a resource the proxy has no record of. */
  async callOn(credential: Credential, model: string, call: ResourceCall): Promise<Served> {
    try {
      return await this.attempt(credential, model, call);
    } catch (error) {
      throw toApiError(error);
    }
  }

  private async onOwner(pin: ResourcePin, model: string, call: ResourceCall): Promise<Served> {
    const owner = this.pool.get(pin.owner);
    if (!owner) throw ownerGone(pin);
    const selection = this.pool.select({ model, canServe: (c) => c.id === owner.id });
    if (selection.outcome !== 'selected') {
      throw ownerUnavailable(pin, selection, this.clock.now()) ?? ownerGone(pin);
    }
    return this.callOn(owner, model, call);
  }

  /** One call; Google's refusal is applied to the credential as the dispatcher would. */
  private async attempt(
    credential: Credential,
    model: string,
    call: ResourceCall,
  ): Promise<Served> {
    const backend = this.backends.for(credential);
    if (!backend.resource) throw noResourceApi();
    this.pool.markUsed(credential.id);
    try {
      const session = await backend.open(credential, call.signal);
      const response = await backend.resource(session.auth, call);
      if (response.status >= 200 && response.status < 300) {
        this.pool.markSuccess(credential.id, model);
        return { response, credential };
      }
      throw httpError(response, await readText(response, call.signal));
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (isFromGoogle(error) && !call.signal.aborted && !isResourceMiss(error, status)) {
        this.failures.apply(credential, model, error);
      }
      throw error;
    }
  }
}

/** Another credential may succeed where this one was rate-limited, faulty or disabled. */
function failsOver(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  if (status === undefined) return isFromGoogle(error);
  return (
    status === 429 ||
    status === 401 ||
    status >= 500 ||
    (status === 403 && !isResourceMiss(error, status))
  );
}

/** Google's 403/404 for a resource this project cannot see, as opposed to a key it refuses. */
function isResourceMiss(error: unknown, status: number | undefined): boolean {
  if (status !== 403 && status !== 404) return false;
  const body = (error as { body?: { error?: { details?: { reason?: unknown }[] } } }).body;
  const reason = body?.error?.details?.find((d) => typeof d?.reason === 'string')?.reason;
  return reason === undefined || reason === 'PERMISSION_DENIED';
}

function noResourceApi(): ApiError {
  return new ApiError({
    status: 400,
    kind: 'invalid_request',
    googleStatus: 'FAILED_PRECONDITION',
    message:
      'Files, cached contents, batches and interactions need a Gemini API key (GEMINI_API_KEYS) in the pool: ' +
      'Code Assist accounts and Vertex AI credentials have no such API here.',
  });
}
