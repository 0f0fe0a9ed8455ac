import { Selection } from '../credentials/credential-pool';
import { ApiError } from '../errors/api-error';

/**
 * A request that names a Google resource (a file, a cached content, an interaction) lives in the
 * project of the credential that created it: only that credential may serve it.
 */
export interface ResourcePin {
  /** `files/abc`, `cachedContents/xyz`, `interactions/…`. */
  resource: string;
  /** The owning credential's id. */
  owner: string;
}

/** Finds the owner of what a request body names; a seam so the dispatcher needs no store. */
export interface ResourceAffinity {
  pinFor(body: unknown): Promise<ResourcePin | undefined>;
}

export const RESOURCE_AFFINITY = Symbol('RESOURCE_AFFINITY');

/** The owner was removed from the pool: nobody else can see the resource. */
export function ownerGone(pin: ResourcePin): ApiError {
  return new ApiError({
    status: 404,
    kind: 'not_found',
    googleStatus: 'NOT_FOUND',
    message:
      `${pin.resource} belongs to a credential that is no longer in the pool (${pin.owner}); ` +
      'no other credential can see it. Create it again.',
  });
}

/**
 * The owner cannot serve now. Cooling: its own 429 and when it is free again, never another
 * credential (which would answer 403 for a resource of another project).
 */
export function ownerUnavailable(
  pin: ResourcePin,
  selection: Exclude<Selection, { outcome: 'selected' }>,
  now: number,
): ApiError | undefined {
  switch (selection.outcome) {
    case 'all-cooling': {
      const seconds = Math.max(1, Math.ceil((selection.soonest - now) / 1000));
      return new ApiError({
        status: 429,
        kind: 'rate_limited',
        googleStatus: 'RESOURCE_EXHAUSTED',
        retryAfterSeconds: seconds,
        message:
          `The credential that owns ${pin.resource} is rate-limited; it is free again in ${seconds}s. ` +
          'Only it can serve requests naming this resource.',
      });
    }
    case 'all-disabled':
      return new ApiError({
        status: 503,
        kind: 'no_credentials',
        message: `The credential that owns ${pin.resource} is disabled: ${selection.reasons.join('; ')}. See /admin.`,
      });
    case 'none-capable':
      return new ApiError({
        status: 400,
        kind: 'invalid_request',
        message: `The credential that owns ${pin.resource} cannot serve this call.`,
      });
    case 'empty':
      return ownerGone(pin);
    case 'exhausted':
      return undefined;
  }
}
