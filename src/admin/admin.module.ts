import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { StateModule } from '../state/state.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [CredentialsModule, StateModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
