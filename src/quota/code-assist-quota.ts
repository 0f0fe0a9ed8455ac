import { isRecord } from '../json/is-record';

/** One model's bucket from `v1internal:retrieveUserQuota`. */
export interface CodeAssistBucket {
  remainingFraction: number;
  /** Epoch ms; undefined when Google gave none. */
  resetAt?: number;
}

/**
 * Reads `{buckets:[{modelId, remainingFraction, resetTime, tokenType, remainingAmount}]}`. Buckets
 * are per model and token type; the smallest fraction of a model stands for it.
 */
export function readUserQuota(body: unknown): Map<string, CodeAssistBucket> {
  const buckets = new Map<string, CodeAssistBucket>();
  if (!isRecord(body) || !Array.isArray(body.buckets)) return buckets;
  for (const b of body.buckets) {
    if (!isRecord(b) || typeof b.modelId !== 'string') continue;
    const fraction = typeof b.remainingFraction === 'number' ? b.remainingFraction : undefined;
    if (fraction === undefined || !Number.isFinite(fraction)) continue;
    const reset = typeof b.resetTime === 'string' ? Date.parse(b.resetTime) : NaN;
    const model = b.modelId.replace(/^models\//, '');
    const previous = buckets.get(model);
    if (previous && previous.remainingFraction <= fraction) continue;
    buckets.set(model, {
      remainingFraction: Math.max(0, fraction),
      resetAt: Number.isNaN(reset) ? undefined : reset,
    });
  }
  return buckets;
}
