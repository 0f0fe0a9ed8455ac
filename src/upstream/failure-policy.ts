import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../time/clock';
import { Credential } from '../credentials/credential';
import {
  BackoffPolicy,
  CredentialPool,
  MODEL_UNAVAILABLE_BACKOFF,
  RATE_LIMIT_BACKOFF,
} from '../credentials/credential-pool';
import { ALL_MODELS } from '../credentials/pool-state-store';
import {
  classifyUpstreamError,
  DAILY_QUOTA_REASON,
  isKnownReason,
  Verdict,
} from './error-classifier';
import { nextPacificMidnight } from './quota-reset';
import { UpstreamEvents } from './upstream-events';

/**
 * Applies Google's failure to the credential that met it: classifies it, then cools, disables or
 * puts the credential behind the others, as DESIGN §6 says. The dispatcher decides what to do
 * next with the verdict; this decides what happens to the pool.
 */
@Injectable()
export class FailurePolicy {
  private readonly logger = new Logger('Dispatcher');
  private readonly reportedReasons = new Set<string>();

  constructor(
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
    private readonly events: UpstreamEvents,
  ) {}

  apply(credential: Credential, model: string, error: unknown): Verdict {
    const verdict = classifyUpstreamError(error, this.clock.now());
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
}
