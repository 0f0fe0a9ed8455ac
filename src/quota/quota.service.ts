import { Injectable } from '@nestjs/common';
import { Clock } from '../time/clock';
import { CredentialPool } from '../credentials/credential-pool';
import { QuotaRouter, windowsAt } from './quota-router';
import { quotaView, QuotaView } from './quota-view';

/** Pairs listed at most: the status page and the metrics stay bounded whatever the traffic. */
export const MAX_LISTED = 500;

/** What `/admin` and `/metrics` show of the quota. */
@Injectable()
export class QuotaService {
  constructor(
    private readonly router: QuotaRouter,
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
  ) {}

  async view(): Promise<QuotaView> {
    const now = this.clock.now();
    const windows = windowsAt(now);
    const entries = await this.router.store.list(windows, MAX_LISTED);
    return quotaView({
      now,
      windows,
      routing: this.router.options.routing,
      affinityTtlMs: this.router.options.affinityTtlMs,
      credentials: this.pool.list(),
      entries,
      subjectOf: (c) => this.router.subjectOf(c),
      declaredFor: (c, model) => this.router.declaredFor(c, model),
      codeAssist: (id) => this.router.userQuotaOf(id),
    });
  }
}
