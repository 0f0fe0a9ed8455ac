import { Inject, Injectable, Logger } from '@nestjs/common';
import { AdminCookie } from '../auth/admin-cookie';
import { Clock } from '../time/clock';
import { CredentialPool } from '../credentials/credential-pool';
import { ApiError } from '../errors/api-error';
import { ServedModels } from '../models/served-models';
import { RESPONSE_STORE, ResponseStore } from '../responses/response-store';
import { SharedStateStatus } from '../redis/shared-state-status';
import { QuotaService } from '../quota/quota.service';
import { QuotaRow, quotaRows } from '../quota/quota-page';
import { UsageLedger } from '../usage/usage-ledger';
import { AdminPage, adminPage } from './admin-page';
import { ConsoleNavLink, consoleNav } from './console-nav';
import { LedgerLine, ledgerLine } from './ledger-line';
import { AdminCredential, AdminStatus, toAdminStatus } from './admin-view';

/** The pool's status for people: the JSON view, the page's model, and re-enabling a credential. */
@Injectable()
export class AdminService {
  private readonly logger = new Logger('Admin');

  constructor(
    private readonly pool: CredentialPool,
    private readonly clock: Clock,
    private readonly cookie: AdminCookie,
    private readonly shared: SharedStateStatus,
    private readonly served: ServedModels,
    @Inject(RESPONSE_STORE) private readonly responses: ResponseStore,
    private readonly ledger: UsageLedger,
    private readonly quota: QuotaService,
  ) {}

  /** The shared view: what every replica learned, read from Redis first when there is one. */
  async status(): Promise<AdminStatus> {
    await this.pool.refresh();
    return this.snapshot();
  }

  /** A fresh sign-in cookie value for a `?key=` that is the proxy password; undefined otherwise. */
  signInCookie(key: string): string | undefined {
    return this.cookie.valueFor(key);
  }

  async page(options: {
    enabled?: string;
  }): Promise<AdminPage & { ledger: LedgerLine; nav: ConsoleNavLink[]; quota: QuotaRow[] }> {
    await this.pool.refresh();
    const now = this.clock.now();
    return {
      ...adminPage(this.snapshot(), { ...options, now }),
      ledger: ledgerLine(this.ledger.status()),
      nav: consoleNav('pool'),
      quota: quotaRows(await this.quota.view(), now),
    };
  }

  /** Clears the credential's disabled mark and every cooldown it has. */
  enable(id: string): AdminCredential {
    if (!this.pool.enable(id))
      throw ApiError.notFound(`No credential with id ${id} is in the pool.`);
    this.logger.log(`Re-enabled ${id} by request`);
    const found = this.snapshot().credentials.find((c) => c.id === id);
    if (!found) throw ApiError.notFound(`No credential with id ${id} is in the pool.`);
    return found;
  }

  private snapshot(): AdminStatus {
    const status = toAdminStatus(
      this.pool.status(),
      this.clock.now(),
      { id: this.shared.replicaId, sharedState: this.shared.mode },
      { mismatches: this.served.mismatches(), overflow: this.served.overflow },
    );
    const { entries, bytes, maxBytes, unshared = 0 } = this.responses.stats();
    return { ...status, responseStore: { entries, bytes, maxBytes, unshared } };
  }
}
