import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { ModelsModule } from '../models/models.module';
import { QuotaModule } from '../quota/quota.module';
import { RedisModule } from '../redis/redis.module';
import { TimeModule } from '../time/time.module';
import { UsageModule } from '../usage/usage.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { ConsoleAssets } from './console-assets';
import { OpenApiDocument } from './openapi-document';
import { UsageController } from './usage.controller';
import { UsagePageController } from './usage-page.controller';
import { UsagePageService } from './usage-page.service';

@Module({
  imports: [
    AuthModule,
    CredentialsModule,
    ModelsModule,
    RedisModule,
    TimeModule,
    UsageModule,
    QuotaModule,
  ],
  controllers: [AdminController, UsageController, UsagePageController],
  providers: [AdminService, OpenApiDocument, UsagePageService, ConsoleAssets],
  exports: [OpenApiDocument],
})
export class AdminModule {}
