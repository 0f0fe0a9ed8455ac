import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { ModelsModule } from '../models/models.module';
import { RedisModule } from '../redis/redis.module';
import { UsageModule } from '../usage/usage.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { OpenApiDocument } from './openapi-document';
import { UsageController } from './usage.controller';

@Module({
  imports: [AuthModule, CredentialsModule, ModelsModule, RedisModule, UsageModule],
  controllers: [AdminController, UsageController],
  providers: [AdminService, OpenApiDocument],
  exports: [OpenApiDocument],
})
export class AdminModule {}
