import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { LoggingModule } from '../logging/logging.module';
import { QuotaModule } from '../quota/quota.module';
import { RedisModule } from '../redis/redis.module';
import { UpstreamModule } from '../upstream/upstream.module';
import { UsageModule } from '../usage/usage.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [
    UpstreamModule,
    CredentialsModule,
    LoggingModule,
    RedisModule,
    UsageModule,
    QuotaModule,
  ],
  controllers: [MetricsController],
  providers: [MetricsService],
})
export class MetricsModule {}
