import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { ModelsModule } from '../models/models.module';
import { QuotaModule } from '../quota/quota.module';
import { ResponsesModule } from '../responses/responses.module';
import { StateModule } from '../state/state.module';
import { UsageModule } from '../usage/usage.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { ConsoleAssets } from './console-assets';
import { OpenApiDocument } from './openapi-document';
import { UsagePageController } from './usage-page.controller';
import { UsagePageService } from './usage-page.service';

@Module({
  imports: [
    AuthModule,
    CredentialsModule,
    ModelsModule,
    StateModule,
    ResponsesModule,
    UsageModule,
    QuotaModule,
  ],
  controllers: [AdminController, UsagePageController],
  providers: [AdminService, OpenApiDocument, UsagePageService, ConsoleAssets],
  exports: [OpenApiDocument],
})
export class AdminModule {}
