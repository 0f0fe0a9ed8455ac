import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { ModelsModule } from '../models/models.module';
import { QuotaModule } from '../quota/quota.module';
import { ResponsesModule } from '../responses/responses.module';
import { StateModule } from '../state/state.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [AuthModule, CredentialsModule, ModelsModule, StateModule, ResponsesModule, QuotaModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
