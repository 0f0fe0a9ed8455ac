import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { LoggingModule } from '../logging/logging.module';
import { QuotaModule } from '../quota/quota.module';
import { StateModule } from '../state/state.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [UpstreamModule, CredentialsModule, LoggingModule, StateModule, QuotaModule],
  controllers: [MetricsController],
  providers: [MetricsService],
})
export class MetricsModule {}
