import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { LoggingModule } from '../logging/logging.module';
import { DEFAULT_LEDGER_OPTIONS, USAGE_LEDGER_OPTIONS, UsageLedger } from './usage-ledger';
import { UsageRepository } from './usage-repository';
import { UsageService } from './usage.service';

/** The usage ledger (DESIGN §11): rows of every model request and their totals (served at /admin/api/usage by the admin module). */
@Module({
  imports: [DatabaseModule, LoggingModule],
  providers: [
    UsageRepository,
    UsageLedger,
    UsageService,
    // A provider of its own so that tests can shrink the buffer with overrideProvider.
    { provide: USAGE_LEDGER_OPTIONS, useValue: DEFAULT_LEDGER_OPTIONS },
  ],
  exports: [UsageLedger, UsageService],
})
export class UsageModule {}
