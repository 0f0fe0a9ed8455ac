import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { RequestTracker } from '../logging/request-tracker';
import { ClientKey, describeKey } from './client-key';
import { KeyCounters, KeyUsage, LimitName, Refusal } from './key-counters';

export const KEY_COUNTERS = Symbol('KEY_COUNTERS');

const LIMIT_TEXT: Record<LimitName, string> = {
  rpm: 'requests per minute',
  tpm: 'tokens per minute',
  daily_tokens: 'tokens per day (UTC)',
  monthly_tokens: 'tokens per month (UTC)',
};

/**
 * A key's limits: requests are admitted (and counted) before they reach the pool, tokens are
 * counted once Google's answer has said how many it used, so a request is admitted while the
 * key is under its token limits and may take it over them.
 */
@Injectable()
export class ClientKeyLimits implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;

  constructor(
    @Inject(KEY_COUNTERS) private readonly counters: KeyCounters,
    private readonly tracker: RequestTracker,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.tracker.onComplete((request) => {
      const t = request.tokens;
      if (!request.client || !t) return;
      const used = t.prompt + t.completion + t.thoughts;
      if (used > 0) void this.counters.addTokens(request.client, used, Date.now());
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Counts the request, or throws (or rejects with) the route's 429 naming the key and the limit;
   * synchronous when the counts are in memory.
   */
  admit(key: ClientKey): void | Promise<void> {
    const answer = this.counters.admit(key, Date.now());
    if (answer instanceof Promise) return answer.then((refusal) => refuse(key, refusal));
    refuse(key, answer);
  }

  usage(keyId: string): Promise<KeyUsage> {
    return this.counters.usage(keyId, Date.now());
  }
}

function refuse(key: ClientKey, refusal: Refusal | undefined): void {
  if (!refusal) return;
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  throw new ApiError({
    status: 429,
    kind: 'rate_limited',
    code: 'client_key_limit',
    retryAfterSeconds: seconds,
    message:
      `This proxy's ${describeKey(key)} reached its limit of ${key[refusal.limit]} ` +
      `${LIMIT_TEXT[refusal.limit]} (a limit of this proxy, not a Google quota); retry in ${seconds} s.`,
  });
}
