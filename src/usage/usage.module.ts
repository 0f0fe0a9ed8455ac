import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { LoggingModule } from '../logging/logging.module';
import { UsageController } from './usage.controller';
import { DEFAULT_LEDGER_OPTIONS, USAGE_LEDGER_OPTIONS, UsageLedger } from './usage-ledger';
import { UsageRepository } from './usage-repository';
import { UsageService } from './usage.service';

/** The usage ledger (DESIGN §11): rows of every model request, their totals and /admin/api/usage. */
@Module({
  imports: [DatabaseModule, LoggingModule],
  controllers: [UsageController],
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
