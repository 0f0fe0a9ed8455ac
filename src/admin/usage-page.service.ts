import { Injectable } from '@nestjs/common';
import { Clock } from '../time/clock';
import { UsageLedger } from '../usage/usage-ledger';
import { UsageService } from '../usage/usage.service';
import { ConsoleNavLink, consoleNav } from './console-nav';
import { LedgerLine, ledgerLine } from './ledger-line';
import { UsagePage, usagePage, UsagePageQuery, usageWindow } from './usage-page';

/** The usage page's model: the window asked for, read through the same report as the API. */
@Injectable()
export class UsagePageService {
  constructor(
    private readonly usage: UsageService,
    private readonly ledger: UsageLedger,
    private readonly clock: Clock,
  ) {}

  async page(
    query: UsagePageQuery,
  ): Promise<UsagePage & { ledger: LedgerLine; nav: ConsoleNavLink[] }> {
    const window = usageWindow(query, this.clock.now());
    const report = await this.usage.report({
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      bucket: window.bucket,
      group: window.group,
    });
    return {
      ...usagePage(window, report),
      ledger: ledgerLine(this.ledger.status()),
      nav: consoleNav('usage'),
    };
  }
}
